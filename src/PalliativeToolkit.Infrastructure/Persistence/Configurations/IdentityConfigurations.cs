using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PalliativeToolkit.Domain.Accounts;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Infrastructure.Identity;

namespace PalliativeToolkit.Infrastructure.Persistence.Configurations;

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> builder)
    {
        builder.Property(s => s.Id).HasMaxLength(32).ValueGeneratedNever();
        builder.Property(s => s.UserId).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(s => s.Client).HasMaxLength(200);
        builder.Property(s => s.EndReason).HasMaxLength(40);
        builder.HasIndex(s => new { s.UserId, s.EndedAt });

        // A deleted account's sessions go with it.
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.ToTable("ApiTokens");
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.Property(t => t.UserId).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(t => t.Name).HasMaxLength(ApiToken.NameLength).IsRequired();
        builder.Property(t => t.Prefix).HasMaxLength(ApiToken.PrefixLength).IsRequired();
        builder.Property(t => t.Hash).HasMaxLength(64).IsRequired();
        builder.HasIndex(t => t.Hash).IsUnique();
        builder.HasIndex(t => new { t.UserId, t.RevokedAt });

        // A deleted account's tokens go with it.
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
