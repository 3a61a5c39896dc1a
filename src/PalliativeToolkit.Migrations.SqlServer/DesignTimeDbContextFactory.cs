using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Migrations.SqlServer;

/// <summary>Lets 'dotnet ef' build the model for the SqlServer provider without starting the web app.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<ToolkitDbContext>
{
    public ToolkitDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<ToolkitDbContext>();
        builder.UseToolkitProvider(DatabaseProvider.SqlServer, "Server=(localdb)\\mssqllocaldb;Database=PalliativeToolkit;Trusted_Connection=True");
        builder.UseApplicationServiceProvider(IdentitySchema.DesignTimeServices());
        return new ToolkitDbContext(builder.Options);
    }
}
