using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Files;

namespace PalliativeToolkit.Infrastructure.Persistence.Configurations;

internal sealed class CommunityEventConfiguration : IEntityTypeConfiguration<CommunityEvent>
{
    public void Configure(EntityTypeBuilder<CommunityEvent> builder)
    {
        builder.ToTable("CommunityEvents");
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Title).HasMaxLength(Limits.Title).IsRequired();
        builder.Property(e => e.TimeZoneId).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Topic).HasMaxLength(Limits.LongText).IsRequired();
        builder.Property(e => e.Presenters).HasMaxLength(Limits.ShortText).IsRequired();
        builder.Property(e => e.RecordingUrl).HasMaxLength(Limits.Url).IsRequired();
        builder.Property(e => e.CancelReason).HasMaxLength(Limits.ShortText).IsRequired();
        builder.Property(e => e.CreatedBy).HasMaxLength(Limits.UserId).IsRequired();
        builder.PrimitiveCollection(e => e.ElementCodes);
        builder.Ignore(e => e.EndsAt);
        builder.Ignore(e => e.Time);
        builder.Ignore(e => e.IsCancelled);

        // A plan with private support calls is not deleted from under them (and SQL Server allows one cascade path to a
        // registration: through its event, or through its organization).
        builder.HasOne<Organization>().WithMany().HasForeignKey(e => e.PlanOrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => e.StartsAt);
    }
}

internal sealed class EventMaterialConfiguration : IEntityTypeConfiguration<EventMaterial>
{
    public void Configure(EntityTypeBuilder<EventMaterial> builder)
    {
        builder.ToTable("EventMaterials");
        builder.Property(m => m.Version).IsConcurrencyToken();
        builder.HasOne<CommunityEvent>().WithMany().HasForeignKey(m => m.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(m => m.Title).HasMaxLength(Limits.Title).IsRequired();
        builder.Property(m => m.Url).HasMaxLength(Limits.Url).IsRequired();
        builder.Property(m => m.FileKey).HasMaxLength(32);
        builder.Property(m => m.FileName).HasMaxLength(SafeFileName.MaxLength);
        builder.Property(m => m.FileContentType).HasMaxLength(100);
        builder.Property(m => m.AddedBy).HasMaxLength(Limits.UserId).IsRequired();
        builder.Ignore(m => m.IsFile);
        builder.HasIndex(m => m.EventId);
    }
}

internal sealed class EventRegistrationConfiguration : IEntityTypeConfiguration<EventRegistration>
{
    public void Configure(EntityTypeBuilder<EventRegistration> builder)
    {
        builder.ToTable("EventRegistrations");
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.HasOne<CommunityEvent>().WithMany().HasForeignKey(r => r.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(r => r.UserId).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(r => r.RegisteredBy).HasMaxLength(Limits.UserId).IsRequired();

        // One registration per person and event.
        builder.HasIndex(r => new { r.EventId, r.UserId }).IsUnique();
        builder.HasIndex(r => r.UserId);
        builder.HasIndex(r => r.OrganizationId);
    }
}

internal sealed class AttendanceConfiguration : IEntityTypeConfiguration<Attendance>
{
    public void Configure(EntityTypeBuilder<Attendance> builder)
    {
        builder.ToTable("Attendances");
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.HasOne<CommunityEvent>().WithMany().HasForeignKey(a => a.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organization>().WithMany().HasForeignKey(a => a.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(a => a.UserId).HasMaxLength(Limits.UserId);
        builder.Property(a => a.Name).HasMaxLength(Limits.Name).IsRequired();
        builder.Property(a => a.Email).HasMaxLength(Limits.Email).IsRequired();
        builder.Property(a => a.Source).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.RecordedBy).HasMaxLength(Limits.UserId).IsRequired();

        // One attendance per event and address: a report imported twice adds nobody twice. (The import is named by id
        // only: SQL Server allows one cascade path from an event to its attendance.)
        builder.HasIndex(a => new { a.EventId, a.Email }).IsUnique();
        builder.HasIndex(a => a.OrganizationId);
        builder.HasIndex(a => a.UserId);
        builder.HasIndex(a => a.ImportId);
    }
}

internal sealed class AttendanceImportConfiguration : IEntityTypeConfiguration<AttendanceImport>
{
    public void Configure(EntityTypeBuilder<AttendanceImport> builder)
    {
        builder.ToTable("AttendanceImports");
        builder.Property(i => i.Version).IsConcurrencyToken();
        builder.HasOne<CommunityEvent>().WithMany().HasForeignKey(i => i.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(i => i.FileName).HasMaxLength(AttendanceImport.MaxFileName).IsRequired();
        builder.Property(i => i.FileHash).HasMaxLength(64).IsRequired();
        builder.Property(i => i.ImportedBy).HasMaxLength(Limits.UserId).IsRequired();
        builder.HasIndex(i => new { i.EventId, i.FileHash });
    }
}
