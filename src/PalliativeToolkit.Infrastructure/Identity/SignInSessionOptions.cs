namespace PalliativeToolkit.Infrastructure.Identity;

/// <summary>The <c>Sessions</c> configuration section.</summary>
public sealed class SignInSessionOptions
{
    public const string SectionName = "Sessions";

    /// <summary>A session with no request and no page activity for this long is over (ASVS 7.3.1).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session is over this long after sign-in, however active (ASVS 7.3.2).</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How often an open page checks that its session is still live: the most an ended session's page lives on.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);
}
