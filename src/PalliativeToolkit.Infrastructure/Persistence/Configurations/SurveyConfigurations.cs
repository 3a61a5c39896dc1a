using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Organizations;

namespace PalliativeToolkit.Infrastructure.Persistence.Configurations;

internal sealed class SurveyQuestionConfiguration : IEntityTypeConfiguration<SurveyQuestion>
{
    public void Configure(EntityTypeBuilder<SurveyQuestion> builder)
    {
        builder.ToTable("SurveyQuestions");
        builder.Property(q => q.Version).IsConcurrencyToken();
        builder.Property(q => q.Text).HasMaxLength(Limits.ShortText).IsRequired();
        builder.Property(q => q.Help).HasMaxLength(Limits.ShortText);
        builder.PrimitiveCollection(q => q.Options);
        builder.Property(q => q.CreatedBy).HasMaxLength(Limits.UserId).IsRequired();
        builder.Ignore(q => q.Definition);
    }
}

internal sealed class SurveyInstrumentConfiguration : IEntityTypeConfiguration<SurveyInstrument>
{
    public void Configure(EntityTypeBuilder<SurveyInstrument> builder)
    {
        builder.ToTable("SurveyInstruments");
        builder.Property(i => i.Version).IsConcurrencyToken();
        builder.Property(i => i.Title).HasMaxLength(Limits.Title).IsRequired();
        builder.Property(i => i.CreatedBy).HasMaxLength(Limits.UserId).IsRequired();
        builder.HasIndex(i => new { i.Audience, i.Year }).IsUnique();
        builder.HasMany(i => i.Items).WithOne().HasForeignKey(i => i.InstrumentId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(i => i.Items).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class SurveyItemConfiguration : IEntityTypeConfiguration<SurveyItem>
{
    public void Configure(EntityTypeBuilder<SurveyItem> builder)
    {
        builder.ToTable("SurveyItems");
        builder.Property(i => i.Version).IsConcurrencyToken();
        builder.Property(i => i.Text).HasMaxLength(Limits.ShortText).IsRequired();
        builder.Property(i => i.Help).HasMaxLength(Limits.ShortText);
        builder.PrimitiveCollection(i => i.Options);
        builder.HasOne<SurveyQuestion>().WithMany().HasForeignKey(i => i.QuestionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(i => new { i.InstrumentId, i.QuestionId }).IsUnique();
        builder.Ignore(i => i.Code);
        builder.Ignore(i => i.Definition);
    }
}

internal sealed class SurveyResponseConfiguration : IEntityTypeConfiguration<SurveyResponse>
{
    public void Configure(EntityTypeBuilder<SurveyResponse> builder)
    {
        builder.ToTable("SurveyResponses");
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.Property(r => r.StartedBy).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(r => r.SubmittedBy).HasMaxLength(Limits.UserId);
        builder.HasOne<SurveyInstrument>().WithMany().HasForeignKey(r => r.InstrumentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        // One response per organization and wave.
        builder.HasIndex(r => new { r.InstrumentId, r.OrganizationId }).IsUnique();
        builder.HasIndex(r => r.OrganizationId);
        builder.HasMany(r => r.Answers).WithOne().HasForeignKey(a => a.ResponseId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(r => r.Answers).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(r => r.IsSubmitted);
    }
}

internal sealed class SurveyAnswerConfiguration : IEntityTypeConfiguration<SurveyAnswer>
{
    public void Configure(EntityTypeBuilder<SurveyAnswer> builder)
    {
        builder.ToTable("SurveyAnswers");
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.Property(a => a.Value).HasMaxLength(Limits.LongText * 2);
        builder.Property(a => a.PortalValue).HasMaxLength(Limits.LongText * 2);
        builder.Property(a => a.PortalNote).HasMaxLength(Limits.ShortText);
        builder.Property(a => a.EditedBy).HasMaxLength(Limits.UserId);
        builder.HasOne<SurveyItem>().WithMany().HasForeignKey(a => a.ItemId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(a => new { a.ResponseId, a.ItemId }).IsUnique();
        builder.HasIndex(a => a.OrganizationId);
    }
}
