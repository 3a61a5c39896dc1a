using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Notifications;

namespace PalliativeToolkit.Infrastructure.Persistence.Configurations;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.Property(n => n.Version).IsConcurrencyToken();
        builder.Property(n => n.RecipientId).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(n => n.Title).HasMaxLength(Limits.Title).IsRequired();
        builder.Property(n => n.Body).HasMaxLength(Limits.NotificationBody).IsRequired();
        builder.Property(n => n.Link).HasMaxLength(Limits.Url).IsRequired();
        builder.Property(n => n.Kind).HasConversion<string>().HasMaxLength(40);
        builder.Property(n => n.Email).HasConversion<string>().HasMaxLength(20);

        // The list and the unread count read one person's notifications, newest first.
        builder.HasIndex(n => new { n.RecipientId, n.CreatedAt });
        builder.HasIndex(n => new { n.Email, n.CreatedAt });
    }
}

internal sealed class NotificationSettingsConfiguration : IEntityTypeConfiguration<NotificationSettings>
{
    public void Configure(EntityTypeBuilder<NotificationSettings> builder)
    {
        builder.HasKey(s => s.UserId);
        builder.Property(s => s.UserId).HasMaxLength(Limits.UserId);
    }
}

internal sealed class OutgoingEmailConfiguration : IEntityTypeConfiguration<OutgoingEmail>
{
    public void Configure(EntityTypeBuilder<OutgoingEmail> builder)
    {
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.Property(e => e.ToAddress).HasMaxLength(Limits.Email).IsRequired();
        builder.Property(e => e.ToName).HasMaxLength(Limits.Name).IsRequired();
        builder.Property(e => e.Subject).HasMaxLength(Limits.ShortText).IsRequired();
        builder.Property(e => e.TextBody).HasMaxLength(Limits.NotificationBody * 4).IsRequired();
        builder.Property(e => e.HtmlBody).HasMaxLength(Limits.NotificationBody * 8).IsRequired();
        builder.Property(e => e.Purpose).HasMaxLength(40).IsRequired();
        builder.Property(e => e.LastError).HasMaxLength(Limits.ShortText);

        // The worker's query: what is due.
        builder.HasIndex(e => e.NextAttemptAt);
    }
}
