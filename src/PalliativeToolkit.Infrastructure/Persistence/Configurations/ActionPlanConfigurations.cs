using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PalliativeToolkit.Domain.ActionPlans;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Organizations;

namespace PalliativeToolkit.Infrastructure.Persistence.Configurations;

internal sealed class ActionItemConfiguration : IEntityTypeConfiguration<ActionItem>
{
    public void Configure(EntityTypeBuilder<ActionItem> builder)
    {
        builder.ToTable("ActionItems");
        builder.Property(i => i.Version).IsConcurrencyToken();
        builder.HasOne<Organization>().WithMany().HasForeignKey(i => i.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        // A draft with action items is not deleted from under them (the service says so first).
        builder.HasOne<Assessment>().WithMany().HasForeignKey(i => i.AssessmentId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(i => i.Cycle).HasMaxLength(Limits.Cycle).IsRequired();
        builder.Property(i => i.SectionCode).HasMaxLength(Limits.Code).IsRequired();
        builder.Property(i => i.ElementCode).HasMaxLength(Limits.Code).IsRequired();
        builder.Property(i => i.SourceKey).HasMaxLength(Limits.Code).IsRequired();
        builder.Property(i => i.Source).HasConversion<string>().HasMaxLength(20);
        builder.Property(i => i.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(i => i.LevelWhenPlanned).HasConversion<string>().HasMaxLength(20);
        builder.Property(i => i.Title).HasMaxLength(Limits.Title).IsRequired();
        builder.Property(i => i.Notes).HasMaxLength(Limits.LongText).IsRequired();
        builder.Property(i => i.Guidance).HasMaxLength(Limits.LongText).IsRequired();
        builder.Property(i => i.OwnerId).HasMaxLength(Limits.UserId);
        builder.Property(i => i.CreatedBy).HasMaxLength(Limits.UserId).IsRequired();
        builder.PrimitiveCollection(i => i.CriteriaCodes);
        builder.PrimitiveCollection(i => i.ResourceIds);
        builder.Ignore(i => i.IsOpen);

        // Each gap or chosen enhancement of an assessment becomes one item at most.
        builder.HasIndex(i => new { i.AssessmentId, i.SourceKey }).IsUnique();
        builder.HasIndex(i => new { i.OrganizationId, i.Status });
        builder.HasIndex(i => i.OwnerId);
    }
}

internal sealed class CalendarSubscriptionConfiguration : IEntityTypeConfiguration<CalendarSubscription>
{
    public void Configure(EntityTypeBuilder<CalendarSubscription> builder)
    {
        builder.ToTable("CalendarSubscriptions");
        builder.Property(s => s.UserId).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(s => s.TokenHash).HasMaxLength(64).IsRequired();
        builder.HasIndex(s => s.UserId).IsUnique();
        builder.HasIndex(s => s.TokenHash).IsUnique();
    }
}
