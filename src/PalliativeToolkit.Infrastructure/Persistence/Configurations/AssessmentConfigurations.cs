using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Auditing;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Frameworks;
using PalliativeToolkit.Domain.Organizations;

namespace PalliativeToolkit.Infrastructure.Persistence.Configurations;

internal sealed class AssessmentConfiguration : IEntityTypeConfiguration<Assessment>
{
    public void Configure(EntityTypeBuilder<Assessment> builder)
    {
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.Property(a => a.Cycle).HasMaxLength(Limits.Cycle).IsRequired();
        builder.Property(a => a.CreatedBy).HasMaxLength(Limits.UserId);
        builder.Property(a => a.SubmittedBy).HasMaxLength(Limits.UserId);
        builder.Property(a => a.ReviewedBy).HasMaxLength(Limits.UserId);
        builder.HasIndex(a => new { a.OrganizationId, a.FrameworkVersionId, a.Cycle }).IsUnique();
        builder.HasOne(a => a.Organization).WithMany().HasForeignKey(a => a.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(a => a.FrameworkVersion).WithMany().HasForeignKey(a => a.FrameworkVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Assessment>().WithMany().HasForeignKey(a => a.PreviousAssessmentId).OnDelete(DeleteBehavior.NoAction);
        builder.HasMany(a => a.Elements).WithOne().HasForeignKey(e => e.AssessmentId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(a => a.Elements).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasMany(a => a.Submissions).WithOne().HasForeignKey(s => s.AssessmentId).OnDelete(DeleteBehavior.Restrict);
        builder.Navigation(a => a.Submissions).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(a => a.IsEditable);
        builder.Ignore(a => a.WasSubmitted);
        builder.Ignore(a => a.CurrentSubmission);
    }
}

internal sealed class ElementResponseConfiguration : IEntityTypeConfiguration<ElementResponse>
{
    public void Configure(EntityTypeBuilder<ElementResponse> builder)
    {
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.Property(e => e.EvidenceNotes).HasMaxLength(Limits.EvidenceNotes);
        builder.PrimitiveCollection(e => e.EvidenceLinks);
        builder.Property(e => e.EvidenceCarriedFrom).HasMaxLength(Limits.Cycle);
        builder.Property(e => e.LastEditedBy).HasMaxLength(Limits.UserId);
        builder.Ignore(e => e.HasEvidence);
        builder.HasIndex(e => new { e.AssessmentId, e.ElementId }).IsUnique();
        builder.HasIndex(e => e.OrganizationId);
        builder.HasOne(e => e.Element).WithMany().HasForeignKey(e => e.ElementId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(e => e.Criteria).WithOne().HasForeignKey(c => c.ElementResponseId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(e => e.Criteria).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(e => e.Level);
        builder.Ignore(e => e.IsAssessed);
        builder.Ignore(e => e.Enhancements);
    }
}

internal sealed class CriterionResponseConfiguration : IEntityTypeConfiguration<CriterionResponse>
{
    public void Configure(EntityTypeBuilder<CriterionResponse> builder)
    {
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasIndex(c => new { c.ElementResponseId, c.CriterionId }).IsUnique();
        builder.HasIndex(c => c.OrganizationId);
        builder.HasOne(c => c.Criterion).WithMany().HasForeignKey(c => c.CriterionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SubmissionConfiguration : IEntityTypeConfiguration<Submission>
{
    public void Configure(EntityTypeBuilder<Submission> builder)
    {
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.Property(s => s.SubmittedBy).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(s => s.DecidedBy).HasMaxLength(Limits.UserId);
        builder.HasIndex(s => new { s.AssessmentId, s.Round }).IsUnique();
        builder.HasIndex(s => new { s.OrganizationId, s.SubmittedAt });
        builder.HasMany(s => s.Elements).WithOne().HasForeignKey(e => e.SubmissionId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(s => s.Elements).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasMany(s => s.Feedback).WithOne().HasForeignKey(f => f.SubmissionId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(s => s.Feedback).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class SubmittedElementConfiguration : IEntityTypeConfiguration<SubmittedElement>
{
    public void Configure(EntityTypeBuilder<SubmittedElement> builder)
    {
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.Property(e => e.EvidenceNotes).HasMaxLength(Limits.EvidenceNotes);
        builder.PrimitiveCollection(e => e.EvidenceLinks);
        builder.HasIndex(e => new { e.SubmissionId, e.ElementId }).IsUnique();
        builder.HasIndex(e => e.OrganizationId);
        builder.HasOne<Element>().WithMany().HasForeignKey(e => e.ElementId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(e => e.Answers).WithOne().HasForeignKey(a => a.SubmittedElementId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(e => e.Answers).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(e => e.Level);
    }
}

internal sealed class SubmittedAnswerConfiguration : IEntityTypeConfiguration<SubmittedAnswer>
{
    public void Configure(EntityTypeBuilder<SubmittedAnswer> builder)
    {
        builder.HasKey(a => new { a.SubmittedElementId, a.CriterionId });
        builder.HasIndex(a => a.OrganizationId);
        builder.HasOne<Criterion>().WithMany().HasForeignKey(a => a.CriterionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class FeedbackConfiguration : IEntityTypeConfiguration<Feedback>
{
    public void Configure(EntityTypeBuilder<Feedback> builder)
    {
        builder.Property(f => f.Version).IsConcurrencyToken();
        builder.Property(f => f.Text).HasMaxLength(Limits.FeedbackText).IsRequired();
        builder.Property(f => f.AuthorId).HasMaxLength(Limits.UserId).IsRequired();
        builder.HasIndex(f => f.OrganizationId);
        builder.HasOne<Element>().WithMany().HasForeignKey(f => f.ElementId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.Property(a => a.UserId).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(a => a.EntityType).HasMaxLength(100).IsRequired();
        builder.Property(a => a.EntityId).HasMaxLength(100).IsRequired();
        builder.Property(a => a.Action).HasMaxLength(50).IsRequired();
        builder.Property(a => a.SubjectUserId).HasMaxLength(Limits.UserId);
        builder.Property(a => a.ClientAddress).HasMaxLength(64);
        builder.Property(a => a.PreviousHash).HasMaxLength(64).IsUnicode(false).IsRequired();
        builder.Property(a => a.Hash).HasMaxLength(64).IsUnicode(false).IsRequired();
        builder.Ignore(a => a.IsSealed);

        // One row per place in the chain: a writer that bypassed the append lock fails instead of forking the chain.
        builder.HasIndex(a => a.Sequence).IsUnique();
        builder.HasIndex(a => new { a.EntityType, a.EntityId });
        builder.HasIndex(a => a.Timestamp);
        builder.HasIndex(a => a.UserId);
        builder.HasIndex(a => a.SubjectUserId);
    }
}

internal sealed class JointAssessmentConfiguration : IEntityTypeConfiguration<JointAssessment>
{
    public void Configure(EntityTypeBuilder<JointAssessment> builder)
    {
        builder.Property(j => j.Version).IsConcurrencyToken();
        builder.Property(j => j.Cycle).HasMaxLength(Limits.Cycle).IsRequired();
        builder.Property(j => j.CreatedBy).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(j => j.PlanReadyBy).HasMaxLength(Limits.UserId);
        builder.Property(j => j.ProviderReadyBy).HasMaxLength(Limits.UserId);
        builder.Property(j => j.SubmittedBy).HasMaxLength(Limits.UserId);
        builder.Ignore(j => j.IsSubmitted);

        // One joint assessment per partnership and cycle.
        builder.HasIndex(j => new { j.PartnershipId, j.Cycle }).IsUnique();
        builder.HasIndex(j => j.PlanOrganizationId);
        builder.HasIndex(j => j.ProviderOrganizationId);
        builder.HasOne<Partnership>().WithMany().HasForeignKey(j => j.PartnershipId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<FrameworkVersion>().WithMany().HasForeignKey(j => j.FrameworkVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(j => j.Answers).WithOne().HasForeignKey(a => a.JointAssessmentId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(j => j.Answers).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasMany(j => j.Notes).WithOne().HasForeignKey(n => n.JointAssessmentId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(j => j.Notes).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasMany(j => j.Changes).WithOne().HasForeignKey(c => c.JointAssessmentId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(j => j.Changes).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class JointAnswerConfiguration : IEntityTypeConfiguration<JointAnswer>
{
    public void Configure(EntityTypeBuilder<JointAnswer> builder)
    {
        builder.ToTable("JointAnswers");
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.Property(a => a.ChangedBy).HasMaxLength(Limits.UserId);
        builder.HasIndex(a => new { a.JointAssessmentId, a.CriterionId, a.Side }).IsUnique();
        builder.HasOne<Criterion>().WithMany().HasForeignKey(a => a.CriterionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class JointNoteConfiguration : IEntityTypeConfiguration<JointNote>
{
    public void Configure(EntityTypeBuilder<JointNote> builder)
    {
        builder.ToTable("JointNotes");
        builder.Property(n => n.Version).IsConcurrencyToken();
        builder.Property(n => n.Text).HasMaxLength(Limits.EvidenceNotes).IsRequired();
        builder.Property(n => n.ChangedBy).HasMaxLength(Limits.UserId);
        builder.HasIndex(n => new { n.JointAssessmentId, n.ElementId, n.Side }).IsUnique();
    }
}

internal sealed class JointChangeConfiguration : IEntityTypeConfiguration<JointChange>
{
    public void Configure(EntityTypeBuilder<JointChange> builder)
    {
        builder.ToTable("JointChanges");
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Property(c => c.By).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(c => c.What).HasMaxLength(Limits.ShortText).IsRequired();
        builder.HasIndex(c => c.JointAssessmentId);
    }
}

internal sealed class FeedbackThreadConfiguration : IEntityTypeConfiguration<FeedbackThread>
{
    public void Configure(EntityTypeBuilder<FeedbackThread> builder)
    {
        builder.ToTable("FeedbackThreads");
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.Property(t => t.OpenedBy).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(t => t.ResolvedBy).HasMaxLength(Limits.UserId);
        builder.Property(t => t.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(t => t.LastSide).HasConversion<string>().HasMaxLength(20);
        builder.Ignore(t => t.IsOpen);
        builder.Ignore(t => t.AwaitedSide);
        builder.HasOne<Assessment>().WithMany().HasForeignKey(t => t.AssessmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Element>().WithMany().HasForeignKey(t => t.ElementId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(t => t.Messages).WithOne().HasForeignKey(m => m.ThreadId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(t => t.Messages).UsePropertyAccessMode(PropertyAccessMode.Field);

        // An organization's open threads (its list), and an assessment's threads by element (its page).
        builder.HasIndex(t => new { t.OrganizationId, t.Status });
        builder.HasIndex(t => new { t.AssessmentId, t.ElementId });
    }
}

internal sealed class FeedbackMessageConfiguration : IEntityTypeConfiguration<FeedbackMessage>
{
    public void Configure(EntityTypeBuilder<FeedbackMessage> builder)
    {
        builder.ToTable("FeedbackMessages");
        builder.Property(m => m.Version).IsConcurrencyToken();
        builder.Property(m => m.Text).HasMaxLength(Limits.FeedbackText).IsRequired();
        builder.Property(m => m.AuthorId).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(m => m.Side).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(m => new { m.ThreadId, m.CreatedAt });
        builder.HasIndex(m => m.OrganizationId);
    }
}
