using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Notifications;

namespace PalliativeToolkit.Domain.Tests;

/// <summary>The outbox's rules for one email: retries with growing pauses, then an administrator; never two senders at once.</summary>
public sealed class OutgoingEmailTests
{
    private static readonly DateTime Now = new(2026, 11, 26, 9, 0, 0, DateTimeKind.Utc);

    private static OutgoingEmail Email() => new("ana@plan.example", "Ana", "Subject", "text", "<p>html</p>", "notification", Now);

    [Fact]
    public void Failures_are_retried_after_growing_pauses_and_then_wait_for_an_administrator()
    {
        var email = Email();
        var at = Now;
        foreach (var pause in OutgoingEmail.RetryPauses)
        {
            email.Failed(at, "IOException");
            Assert.Equal(at + pause, email.NextAttemptAt);
            at += pause;
        }

        email.Failed(at, "IOException");
        Assert.True(email.GaveUp);
        email.RetryNow(at);
        Assert.Equal(at, email.NextAttemptAt);
    }

    [Fact]
    public void An_email_being_sent_or_already_sent_cannot_be_retried()
    {
        var email = Email();
        email.Claim(Now.AddMinutes(5));

        Assert.True(email.IsBeingSent(Now));
        Assert.Throws<DomainException>(() => email.RetryNow(Now));

        email.Sent(Now.AddSeconds(1));
        Assert.False(email.IsBeingSent(Now));
        Assert.Throws<DomainException>(() => email.RetryNow(Now.AddMinutes(1)));
    }
}
