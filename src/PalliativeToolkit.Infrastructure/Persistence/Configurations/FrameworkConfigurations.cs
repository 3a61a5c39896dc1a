using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Frameworks;

namespace PalliativeToolkit.Infrastructure.Persistence.Configurations;

internal sealed class FrameworkVersionConfiguration : IEntityTypeConfiguration<FrameworkVersion>
{
    public void Configure(EntityTypeBuilder<FrameworkVersion> builder)
    {
        builder.Property(f => f.Version).IsConcurrencyToken();
        builder.Property(f => f.Label).HasMaxLength(Limits.Code).IsRequired();
        builder.Property(f => f.Title).HasMaxLength(Limits.Title).IsRequired();
        builder.HasIndex(f => f.Label).IsUnique();
        builder.HasMany(f => f.Sections).WithOne().HasForeignKey(s => s.FrameworkVersionId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(f => f.Sections).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(f => f.Elements);
    }
}

internal sealed class SectionConfiguration : IEntityTypeConfiguration<Section>
{
    public void Configure(EntityTypeBuilder<Section> builder)
    {
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.Property(s => s.Code).HasMaxLength(Limits.Code).IsRequired();
        builder.Property(s => s.Title).HasMaxLength(Limits.Title).IsRequired();
        builder.Property(s => s.Summary).HasMaxLength(Limits.LongText);
        builder.Property(s => s.ProgressNote).HasMaxLength(Limits.LongText);
        builder.HasIndex(s => new { s.FrameworkVersionId, s.Code }).IsUnique();
        builder.HasMany(s => s.Elements).WithOne(e => e.Section).HasForeignKey(e => e.SectionId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(s => s.Elements).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class ElementConfiguration : IEntityTypeConfiguration<Element>
{
    public void Configure(EntityTypeBuilder<Element> builder)
    {
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.Property(e => e.Code).HasMaxLength(Limits.Code).IsRequired();
        builder.Property(e => e.Title).HasMaxLength(Limits.Title).IsRequired();
        builder.Property(e => e.Description).HasMaxLength(Limits.LongText);
        builder.Property(e => e.MinimumText).HasMaxLength(Limits.LongText);
        builder.Property(e => e.EnhancementText).HasMaxLength(Limits.LongText);
        builder.HasIndex(e => new { e.SectionId, e.Code }).IsUnique();
        builder.HasMany(e => e.Criteria).WithOne().HasForeignKey(c => c.ElementId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(e => e.Criteria).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasMany(e => e.Resources).WithOne().HasForeignKey(r => r.ElementId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(e => e.Resources).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class CriterionConfiguration : IEntityTypeConfiguration<Criterion>
{
    public void Configure(EntityTypeBuilder<Criterion> builder)
    {
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Property(c => c.Code).HasMaxLength(Limits.Code).IsRequired();
        builder.Property(c => c.Text).HasMaxLength(Limits.LongText).IsRequired();
        builder.Property(c => c.AplReference).HasMaxLength(Limits.Code * 4);
        builder.HasIndex(c => new { c.ElementId, c.Code }).IsUnique();
    }
}

internal sealed class ResourceConfiguration : IEntityTypeConfiguration<Resource>
{
    public void Configure(EntityTypeBuilder<Resource> builder)
    {
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.Property(r => r.Key).HasMaxLength(Limits.Title).IsRequired();
        builder.Property(r => r.Title).HasMaxLength(Limits.Title).IsRequired();
        builder.Property(r => r.Format).HasMaxLength(40);
        builder.Property(r => r.Publisher).HasMaxLength(Limits.Name);
        builder.Property(r => r.Description).HasMaxLength(Limits.LongText);
        builder.Property(r => r.Url).HasMaxLength(Limits.Url);
        builder.HasIndex(r => new { r.FrameworkVersionId, r.Key }).IsUnique();
        builder.HasOne<FrameworkVersion>().WithMany().HasForeignKey(r => r.FrameworkVersionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ElementResourceConfiguration : IEntityTypeConfiguration<ElementResource>
{
    public void Configure(EntityTypeBuilder<ElementResource> builder)
    {
        builder.HasKey(r => new { r.ElementId, r.ResourceId });
        builder.HasOne(r => r.Resource).WithMany().HasForeignKey(r => r.ResourceId).OnDelete(DeleteBehavior.NoAction);
    }
}
