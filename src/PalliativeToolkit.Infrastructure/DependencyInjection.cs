using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<AuditingInterceptor>();
        services.AddDbContextFactory<ToolkitDbContext>(
            (sp, options) => options
                .UseToolkitProvider(database.Provider, connectionString)
                .AddInterceptors(sp.GetRequiredService<AuditingInterceptor>()),
            ServiceLifetime.Scoped);
        services.AddScoped<DatabaseInitializer>();
        return services;
    }

    public static IdentityBuilder AddToolkitIdentityStores(this IdentityBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddRoles<IdentityRole>().AddEntityFrameworkStores<ToolkitDbContext>();
    }

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
        if (builder.DataSource != ":memory:" && !Path.IsPathRooted(builder.DataSource))
        {
            builder.DataSource = Path.Combine(contentRoot, builder.DataSource);
        }

        ProviderSetup.EnsureSqliteFolder(builder.ConnectionString);
        return builder.ConnectionString;
    }
}
