using System.Xml;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace PalliativeToolkit.Infrastructure.Persistence;

/// <summary>What the database holds of the data-protection key ring.</summary>
public static class StoredKeys
{
    /// <summary>The ids of the stored keys whose secret is plain text (written before keys were encrypted).</summary>
    public static async Task<IReadOnlyList<Guid>> UnencryptedAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var db = await services.GetRequiredService<IDbContextFactory<ToolkitDbContext>>().CreateDbContextAsync(cancellationToken);
        var stored = await db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToListAsync(cancellationToken);
        return [.. stored
            .Select(Parse)
            .Where(key => key is { Name.LocalName: "key" } && !key.Descendants().Any(e => e.Name.LocalName == "encryptedSecret"))
            .Select(key => Guid.TryParse(key!.Attribute("id")?.Value, out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty)];
    }

    private static XElement? Parse(string? xml)
    {
        try
        {
            return string.IsNullOrEmpty(xml) ? null : XElement.Parse(xml);
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
