using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PalliativeToolkit.Infrastructure;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Seeding;

namespace PalliativeToolkit.Testing;

/// <summary>
/// SQLite databases migrated (and, for <see cref="Demo"/>, seeded with the demo) once per test run, then copied for
/// each test or app: a copy is a file copy, not a migration and a seed. Tests that need other data arrange it with
/// <see cref="TestData"/>.
/// </summary>
public static class TemplateDatabase
{
    /// <summary>The password of every demo account in the template.</summary>
    public const string DemoPassword = "Template-Demo-Password-1!";
    public const string AdministratorEmail = "admin@test.local";
    public const string AdministratorPassword = "Template-Admin-Password-1!";
    public const string DemoDomain = DemoData.EmailDomain;

    private static readonly string Root = Path.Combine(Path.GetTempPath(), "ptk-templates", Guid.NewGuid().ToString("N"));
    private static readonly Lazy<Task<string>> DemoTemplate = new(() => BuildAsync(seedDemo: true));
    private static readonly Lazy<Task<string>> EmptyTemplate = new(() => BuildAsync(seedDemo: false));

    static TemplateDatabase() => AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(Root);

    /// <summary>Copies the demo template (framework, demo organizations, accounts and assessments) into <paramref name="folder"/>.</summary>
    public static Task<string> Demo(string folder, string fileName = "portal.db") => CopyAsync(DemoTemplate, folder, fileName);

    /// <summary>Copies the empty template (framework and one administrator, <see cref="AdministratorEmail"/>) into <paramref name="folder"/>.</summary>
    public static Task<string> Empty(string folder, string fileName = "portal.db") => CopyAsync(EmptyTemplate, folder, fileName);

    /// <summary>Rate limits (RateLimits section) that functional tests, which sign in far more often than a person, never reach.</summary>
    public static readonly IReadOnlyDictionary<string, string> GenerousRateLimits = new Dictionary<string, string>
    {
        ["RateLimits:PerClient:Requests"] = "100000",
        ["RateLimits:SignInPerAccount:Requests"] = "100000",
        ["RateLimits:EmailsPerAccount:Requests"] = "100000",
        ["RateLimits:InvitationsPerSender:Requests"] = "100000",
    };

    /// <summary>The configuration an app or service provider needs to open a copy without seeding it again.</summary>
    public static IReadOnlyDictionary<string, string?> Settings(string databaseFile) => new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Sqlite",
        ["ConnectionStrings:Sqlite"] = $"Data Source={databaseFile}",
        ["Demo:Seed"] = "true",
        ["Demo:Password"] = DemoPassword,
        ["Administrator:Email"] = AdministratorEmail,
        ["Administrator:Password"] = AdministratorPassword,
    };

    private static async Task<string> CopyAsync(Lazy<Task<string>> template, string folder, string fileName)
    {
        var source = await template.Value;
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, fileName);
        File.Copy(source, target, overwrite: true);
        return target;
    }

    private static async Task<string> BuildAsync(bool seedDemo)
    {
        var folder = Path.Combine(Root, seedDemo ? "demo" : "empty");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "template.db");
        var settings = new Dictionary<string, string?>(Settings(file)) { ["Demo:Seed"] = seedDemo ? "true" : "false" };
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddToolkitInfrastructure(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), folder);
        services.AddIdentityCore<ApplicationUser>(o => o.Stores.SchemaVersion = IdentitySchema.Version).AddToolkitIdentityStores();
        await using (var provider = services.BuildServiceProvider())
        {
            await using var scope = provider.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();

            // The administrators and reviewers have an authenticator (Authenticator.Key), as the portal requires of them.
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            foreach (var role in GlobalRoles.All)
            {
                foreach (var user in await users.GetUsersInRoleAsync(role))
                {
                    if (!user.TwoFactorEnabled)
                    {
                        await Authenticator.EnrolAsync(scope.ServiceProvider, user);
                    }
                }
            }
        }

        // Everything into the main file, so that copying that one file copies the whole database.
        await using (var connection = new SqliteConnection($"Data Source={file}"))
        {
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        return file;
    }

    /// <summary>Deletes a test's folder; a file still held open only leaves a temp folder behind.</summary>
    public static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
