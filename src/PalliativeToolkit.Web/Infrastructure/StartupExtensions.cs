using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PalliativeToolkit.Infrastructure.Email;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Persistence;
using PalliativeToolkit.Infrastructure.Seeding;
using PalliativeToolkit.Web.Components.Account;

namespace PalliativeToolkit.Web.Infrastructure;

public static class StartupExtensions
{
    /// <summary>Migrates and seeds the database, then prints the demo accounts created on first start.</summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using var scope = app.Services.CreateAsyncScope();
        var initializer = scope.ServiceProvider.GetRequiredService<DatabaseInitializer>();
        var accounts = await initializer.InitializeAsync();
        if (scope.ServiceProvider.GetRequiredService<IMailDelivery>() is PickupDirectoryDelivery pickup)
        {
            Console.WriteLine($"Emails (invitations, password resets) are written as .eml files to {pickup.Directory} (Email:Delivery = Pickup).");
        }

        if (accounts.Count == 0)
        {
            return;
        }

        var demo = app.Configuration.GetSection(DemoOptions.SectionName).Get<DemoOptions>() ?? new DemoOptions();
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine("PalliativeToolkit accounts created on first start:");
        foreach (var account in accounts)
        {
            text.AppendLine($"  {account.Email,-48} {account.Role,-18} {account.Organization}");
        }

        text.AppendLine(demo.Seed
            ? "  Password for every demo account: the value of Demo:Password (see README)."
            : "  Password: the value of Administrator:Password.");
        var secondFactor = scope.ServiceProvider.GetRequiredService<SecondFactorRule>().RequiredForRoles;
        if (secondFactor.Count > 0)
        {
            text.AppendLine($"  {SecondFactorText.WhoMust(secondFactor)} set up an authenticator app at first sign-in (any app works, e.g. oathtool --totp -b KEY).");
        }

        // Written to the console only, never to the structured log.
        Console.WriteLine(text.ToString());
    }
}

/// <summary>JSON body of /health: overall status and each check's status, with no internals.</summary>
public static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        context.Response.ContentType = "application/json";
        var body = JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
        });
        return context.Response.WriteAsync(body);
    }
}
