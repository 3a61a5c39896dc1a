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
        builder.PrimitiveCollection(r => r.ElementCodes);
        builder.PrimitiveCollection(r => r.Tags);
        builder.Property(r => r.RetiredBy).HasMaxLength(Limits.UserId);
        builder.Ignore(r => r.IsRetired);
    }
}
