using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MimeKit;
using PalliativeToolkit.Infrastructure.Auditing;
using PalliativeToolkit.Infrastructure.Email;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Persistence;
using PalliativeToolkit.Infrastructure.Persistence.Interceptors;
using PalliativeToolkit.Infrastructure.Seeding;

namespace PalliativeToolkit.Infrastructure;

public static class DependencyInjection
{
    /// <summary>
    /// Registers the database for the configured provider (<c>Database:Provider</c> = Sqlite or SqlServer, with
    /// <c>ConnectionStrings:Sqlite</c> / <c>ConnectionStrings:SqlServer</c>), the audit interceptor and the seeder.
    /// A relative SQLite path is resolved against <paramref name="contentRoot"/>.
    /// </summary>
    public static IServiceCollection AddToolkitInfrastructure(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var database = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = ResolveConnectionString(configuration, database.Provider, contentRoot);

        services.Configure<DatabaseOptions>(configuration.GetSection(DatabaseOptions.SectionName));
        services.Configure<DemoOptions>(configuration.GetSection(DemoOptions.SectionName));
        services.Configure<AdministratorOptions>(configuration.GetSection(AdministratorOptions.SectionName));
        services.AddOptions<TwoFactorOptions>()
            .Bind(configuration.GetSection(TwoFactorOptions.SectionName))
            .Validate(o => o.NamesOnlyGlobalRoles(), $"TwoFactor:RequiredForRoles may only name the global roles {string.Join(" and ", GlobalRoles.All)}.")
            .ValidateOnStart();
        services.AddMemoryCache();
        services.AddSingleton<SecondFactorRule>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddSingleton<AuditOrigin>();
        services.AddSingleton<AuditingInterceptor>();
        services.AddSingleton<ISecurityAudit, SecurityAudit>();
        services.AddSingleton<AuditVerifier>();
        services.AddDbContextFactory<ToolkitDbContext>(
            (sp, options) => options
                .UseToolkitProvider(database.Provider, connectionString)
                .AddInterceptors(sp.GetRequiredService<AuditingInterceptor>()),
            ServiceLifetime.Singleton);

        // One context per scope: an operation's scope, shared with the Identity stores it resolves. Contexts that no
        // operation bound to a user (Identity at sign-in, data protection, health checks) see no organization data.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<ToolkitDbContext>>().CreateDbContext());
        services.AddOptions<SignInSessionOptions>()
            .Bind(configuration.GetSection(SignInSessionOptions.SectionName))
            .Validate(o => o.IdleTimeout > TimeSpan.Zero && o.AbsoluteLifetime >= o.IdleTimeout, "Sessions:IdleTimeout must be positive and no longer than Sessions:AbsoluteLifetime.")
            .Validate(o => o.CheckInterval > TimeSpan.Zero && o.CheckInterval <= o.IdleTimeout, "Sessions:CheckInterval must be positive and no longer than Sessions:IdleTimeout.")
            .ValidateOnStart();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<ApiTokenStore>();
        services.AddSingleton<Operations.OperationRunner>();
        services.AddScoped<DatabaseInitializer>();
        services.AddAccountEmail(configuration, contentRoot);
        services.AddFileStorage(configuration, contentRoot);
        return services;
    }

    /// <summary>Account emails (<c>Email</c> section): a pickup folder by default, SMTP in production. Bad settings stop start-up.</summary>
    private static void AddAccountEmail(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddOptions<EmailOptions>()
            .Bind(configuration.GetSection(EmailOptions.SectionName))
            .Validate(o => o.Delivery != EmailDelivery.Smtp || !string.IsNullOrWhiteSpace(o.Smtp.Host), "Email:Delivery is Smtp, but Email:Smtp:Host is empty.")
            .Validate(o => o.Delivery != EmailDelivery.Pickup || !string.IsNullOrWhiteSpace(o.PickupDirectory), "Email:Delivery is Pickup, but Email:PickupDirectory is empty.")
            .Validate(o => MailboxAddress.TryParse(o.FromAddress, out _), "Email:FromAddress is not an email address.")
            .Validate(o => o.Delivery != EmailDelivery.Smtp || IsWebAddress(o.PortalUrl), "Email:Delivery is Smtp, but Email:PortalUrl is not the portal's address (for example https://toolkit.example.org/). Links in emails are built on it.")
            .Validate(o => string.IsNullOrWhiteSpace(o.PortalUrl) || IsWebAddress(o.PortalUrl), "Email:PortalUrl is not a web address (for example https://toolkit.example.org/).")
            .Validate<IServiceProvider>(
                (o, sp) => sp.GetService<IHostEnvironment>()?.IsDevelopment() != false || IsWebAddress(o.PortalUrl),
                "Email:PortalUrl is required outside Development (for example https://toolkit.example.org/): invitation and password-reset links are built on it, never on the address a request came in on.")
            .ValidateOnStart();
        services.AddSingleton<IMailDelivery>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<EmailOptions>>();
            return options.Value.Delivery == EmailDelivery.Smtp
                ? new SmtpDelivery(options)
                : new PickupDirectoryDelivery(Path.GetFullPath(options.Value.PickupDirectory, contentRoot), sp.GetRequiredService<TimeProvider>());
        });
        services.AddScoped<AccountEmailSender>();
        services.AddScoped<IEmailSender<ApplicationUser>>(sp => sp.GetRequiredService<AccountEmailSender>());
    }

    public static IdentityBuilder AddToolkitIdentityStores(this IdentityBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Every change to an account is recorded in the audit trail by the portal's UserManager.
        return builder.AddRoles<IdentityRole>().AddEntityFrameworkStores<ToolkitDbContext>().AddUserManager<AuditedUserManager>();
    }

    private static bool IsWebAddress(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    public static string ResolveConnectionString(IConfiguration configuration, DatabaseProvider provider, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration.GetConnectionString(provider.ToString());
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"Database:Provider is {provider}, but ConnectionStrings:{provider} is empty. Set it in appsettings.json or the environment (ConnectionStrings__{provider}).");
        }

        if (provider != DatabaseProvider.Sqlite)
        {
            return connectionString;
        }

        var builder = new SqliteConnectionStringBuilder(connectionString);

        // Shared-cache mode locks whole tables between the connections of this process: an autosave reading a table
        // another is writing waits out the command timeout and fails (20 concurrent writers: none finished). WAL already
        // lets readers and a writer work side by side, so every connection to a file keeps a private cache (see
        // docs/performance.md). A named in-memory database (Mode=Memory) exists only through a shared cache: it keeps it.
        if (builder.Cache == SqliteCacheMode.Shared && builder.Mode != SqliteOpenMode.Memory)
        {
            builder.Cache = SqliteCacheMode.Default;
        }

        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource == ":memory:")
        {
            return builder.ConnectionString;
        }

        if (!Path.IsPathRooted(builder.DataSource))
        {
            builder.DataSource = Path.Combine(contentRoot, builder.DataSource);
        }

        ProviderSetup.EnsureSqliteFolder(builder.ConnectionString);
        return builder.ConnectionString;
    }
}
