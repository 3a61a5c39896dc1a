using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Resources;

namespace PalliativeToolkit.Infrastructure.Persistence.Configurations;

internal sealed class LibraryResourceConfiguration : IEntityTypeConfiguration<LibraryResource>
{
    public void Configure(EntityTypeBuilder<LibraryResource> builder)
    {
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.Property(r => r.Key).HasMaxLength(Limits.Name).IsRequired();
        builder.HasIndex(r => r.Key).IsUnique();
        builder.Property(r => r.Title).HasMaxLength(Limits.Title).IsRequired();
        builder.Property(r => r.Publisher).HasMaxLength(Limits.Name).IsRequired();
        builder.Property(r => r.Summary).HasMaxLength(Limits.LongText).IsRequired();
        builder.Property(r => r.Url).HasMaxLength(Limits.Url).IsRequired();
        builder.Property(r => r.FileKey).HasMaxLength(64);
        builder.Property(r => r.FileName).HasMaxLength(Limits.Title);
        builder.Property(r => r.FileType).HasMaxLength(20);
        builder.Property(r => r.FileContentType).HasMaxLength(Limits.Title);
        builder.PrimitiveCollection(r => r.ElementCodes);
        builder.PrimitiveCollection(r => r.Tags);
        builder.Property(r => r.RetiredBy).HasMaxLength(Limits.UserId);
        builder.Ignore(r => r.IsRetired);
    }
}

internal sealed class OrganizationDocumentConfiguration : IEntityTypeConfiguration<OrganizationDocument>
{
    public void Configure(EntityTypeBuilder<OrganizationDocument> builder)
    {
        builder.ToTable("OrganizationDocuments");
        builder.Property(d => d.Version).IsConcurrencyToken();
        builder.HasOne<Domain.Organizations.Organization>().WithMany().HasForeignKey(d => d.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(d => d.Title).HasMaxLength(Limits.Title).IsRequired();
        builder.Property(d => d.Summary).HasMaxLength(Limits.LongText).IsRequired();
        builder.PrimitiveCollection(d => d.ElementCodes);
        builder.Property(d => d.FileKey).HasMaxLength(64).IsRequired();
        builder.HasIndex(d => d.FileKey).IsUnique();
        builder.Property(d => d.FileName).HasMaxLength(Limits.Title).IsRequired();
        builder.Property(d => d.FileType).HasMaxLength(20).IsRequired();
        builder.Property(d => d.ContentType).HasMaxLength(Limits.Title).IsRequired();
        builder.Property(d => d.Sha256).HasMaxLength(64).IsRequired();
        builder.Property(d => d.UploadedBy).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(d => d.Contribution).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.ContributionDecidedBy).HasMaxLength(Limits.UserId);
        builder.Property(d => d.DeclineReason).HasMaxLength(Limits.FeedbackText);
        builder.HasIndex(d => d.OrganizationId);
        builder.HasIndex(d => d.Contribution);
        builder.HasMany(d => d.Shares).WithOne().HasForeignKey(s => s.DocumentId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(d => d.Shares).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class DocumentShareConfiguration : IEntityTypeConfiguration<DocumentShare>
{
    public void Configure(EntityTypeBuilder<DocumentShare> builder)
    {
        builder.ToTable("DocumentShares");
        builder.Property(s => s.SharedBy).HasMaxLength(Limits.UserId).IsRequired();
        builder.HasIndex(s => new { s.DocumentId, s.GranteeOrganizationId }).IsUnique();
        builder.HasIndex(s => s.GranteeOrganizationId);
    }
}
