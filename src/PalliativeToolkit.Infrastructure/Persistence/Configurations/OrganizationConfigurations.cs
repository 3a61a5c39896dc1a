using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;

namespace PalliativeToolkit.Infrastructure.Persistence.Configurations;

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> builder)
    {
        builder.Property(o => o.Version).IsConcurrencyToken();
        builder.Property(o => o.Name).HasMaxLength(Limits.Name).IsRequired();
        builder.PrimitiveCollection(o => o.CountyFips);
        builder.Ignore(o => o.Counties);
        builder.Property(o => o.LegacyCounties).HasMaxLength(Limits.Counties);
        builder.Property(o => o.ProviderType).HasMaxLength(Limits.Name);
        builder.Property(o => o.Services).HasMaxLength(Limits.ShortText);
        // Unique whatever the case and the database's collation ("Acme" and "ACME" are one name on SQLite too).
        builder.Property(o => o.NormalizedName).HasMaxLength(Limits.Name).IsRequired();
        builder.HasIndex(o => o.NormalizedName).IsUnique();
        builder.Ignore(o => o.AssessesAs);
        builder.HasMany(o => o.Memberships).WithOne(m => m.Organization).HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(o => o.Memberships).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> builder)
    {
        builder.Property(m => m.Version).IsConcurrencyToken();
        builder.Property(m => m.UserId).HasMaxLength(Limits.UserId).IsRequired();
        builder.HasIndex(m => new { m.UserId, m.OrganizationId }).IsUnique();
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ShareGrantConfiguration : IEntityTypeConfiguration<ShareGrant>
{
    public void Configure(EntityTypeBuilder<ShareGrant> builder)
    {
        builder.Property(g => g.Version).IsConcurrencyToken();
        builder.Property(g => g.GrantedBy).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(g => g.RevokedBy).HasMaxLength(Limits.UserId);
        builder.HasOne<Organization>().WithMany().HasForeignKey(g => g.OwnerOrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organization>().WithMany().HasForeignKey(g => g.GranteeOrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(g => new { g.GranteeOrganizationId, g.Kind });
        // One standing share per owner, grantee and kind (revoked ones stay as history). Square brackets quote the column
        // on SQL Server and on SQLite alike.
        builder.HasIndex(g => new { g.OwnerOrganizationId, g.GranteeOrganizationId, g.Kind }).IsUnique().HasFilter("[RevokedAt] IS NULL");
        builder.Ignore(g => g.IsActive);
    }
}

/// <summary>California's 58 counties, seeded by the migrations from the reference data (a table for reports and joins).</summary>
internal sealed class CaliforniaCountyConfiguration : IEntityTypeConfiguration<CaliforniaCounty>
{
    public void Configure(EntityTypeBuilder<CaliforniaCounty> builder)
    {
        builder.ToTable("Counties");
        builder.HasKey(c => c.Fips);
        builder.Property(c => c.Fips).HasMaxLength(5);
        builder.Property(c => c.Name).HasMaxLength(40).IsRequired();
        builder.Property(c => c.Region).HasMaxLength(40).IsRequired();
        builder.HasData(CaliforniaCounties.All);
    }
}

internal sealed class PartnershipConfiguration : IEntityTypeConfiguration<Partnership>
{
    public void Configure(EntityTypeBuilder<Partnership> builder)
    {
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.HasOne(p => p.Plan).WithMany().HasForeignKey(p => p.PlanOrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(p => p.Provider).WithMany().HasForeignKey(p => p.ProviderOrganizationId).OnDelete(DeleteBehavior.Restrict);

        // A provider is partnered once per plan: an ended partnership is taken up again, not added twice.
        builder.HasIndex(p => new { p.PlanOrganizationId, p.ProviderOrganizationId }).IsUnique();
        builder.HasIndex(p => p.ProviderOrganizationId);
        builder.PrimitiveCollection(p => p.CountyFips);
        builder.PrimitiveCollection(p => p.Services).ElementType().HasConversion<string>();
        builder.Property(p => p.CreatedBy).HasMaxLength(Limits.UserId).IsRequired();
        builder.Ignore(p => p.Counties);
        builder.Ignore(p => p.IsActive);
        builder.HasMany(p => p.History).WithOne().HasForeignKey(h => h.PartnershipId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(p => p.History).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasMany(p => p.Contacts).WithOne().HasForeignKey(c => c.PartnershipId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(p => p.Contacts).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class PartnershipStatusChangeConfiguration : IEntityTypeConfiguration<PartnershipStatusChange>
{
    public void Configure(EntityTypeBuilder<PartnershipStatusChange> builder)
    {
        builder.ToTable("PartnershipStatusChanges");
        builder.Property(h => h.Version).IsConcurrencyToken();
        builder.Property(h => h.RecordedBy).HasMaxLength(Limits.UserId).IsRequired();
        builder.HasIndex(h => h.PartnershipId);
    }
}

internal sealed class PartnershipContactConfiguration : IEntityTypeConfiguration<PartnershipContact>
{
    public void Configure(EntityTypeBuilder<PartnershipContact> builder)
    {
        builder.ToTable("PartnershipContacts");
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Property(c => c.Name).HasMaxLength(Limits.Name).IsRequired();
        builder.Property(c => c.Title).HasMaxLength(Limits.Name);
        builder.Property(c => c.Email).HasMaxLength(Limits.Email);
        builder.Property(c => c.Phone).HasMaxLength(Limits.Phone);
        builder.HasIndex(c => c.PartnershipId);
    }
}
