namespace PalliativeToolkit.Infrastructure.Seeding;

/// <summary>The <c>Demo</c> configuration section.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";
    public const string DefaultPassword = "Demo-Toolkit-2026!";

    /// <summary>
    /// Seed demo organizations, accounts and assessments into an empty database. Off unless configured:
    /// appsettings.Development.json turns it on for the README's run command.
    /// </summary>
    public bool Seed { get; set; }

    /// <summary>The password of every demo account.</summary>
    public string Password { get; set; } = DefaultPassword;
}

/// <summary>The <c>Administrator</c> configuration section: the first administrator of a portal without demo data.</summary>
public sealed class AdministratorOptions
{
    public const string SectionName = "Administrator";

    public string Email { get; set; } = "admin@palliativetoolkit.local";

    public string? Password { get; set; }
}

/// <summary>An account created by the seeder, to print at first start (never with its password).</summary>
public sealed record SeededAccount(string Email, string Role, string? Organization);
