using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PalliativeToolkit.Web.Infrastructure;

namespace PalliativeToolkit.Web.Tests;

/// <summary>The data-protection keys in the database are encrypted: reading the database is not enough to forge a cookie.</summary>
public class KeyEncryptionTests(EmptyPortalFactory factory) : IClassFixture<EmptyPortalFactory>
{
    [Fact]
    public async Task Keys_stored_in_the_database_are_encrypted_with_the_certificate()
    {
        // The login form's antiforgery token needs a key: the first request makes one.
        var client = factory.CreateClient();
        await PortalFactory.LoginFormFieldsAsync(client);

        await using var db = factory.NewContext();
        var keys = await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync(TestContext.Current.CancellationToken);
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
            Assert.Contains("X509Data", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("unencrypted form", xml, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void A_made_certificate_is_valid_from_a_day_before_the_clocks_now_for_ten_years()
    {
        var now = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
        var path = Path.Combine(Path.GetTempPath(), "ptk-cert", Guid.NewGuid().ToString("N"), "keys.pfx");

        using var certificate = KeyEncryption.CreateCertificate(path, new FakeTimeProvider(now));

        Assert.Equal(now.AddDays(-1).UtcDateTime, certificate.NotBefore.ToUniversalTime(), TimeSpan.FromSeconds(1));
        Assert.Equal(now.AddYears(10).UtcDateTime, certificate.NotAfter.ToUniversalTime(), TimeSpan.FromSeconds(1));
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }
}

/// <summary>A database from before keys were encrypted: it holds a key whose secret is plain text.</summary>
public sealed class PlainKeyPortalFactory : PortalFactory
{
    public Guid PlainKeyId { get; private set; }

    protected override bool WithDemo => false;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();

        // A key made the way the portal made them before: persisted with no encryptor.
        var folder = Directory.CreateTempSubdirectory("ptk-plain-key");
        try
        {
            var provider = Microsoft.AspNetCore.DataProtection.DataProtectionProvider.Create(folder);
            Microsoft.AspNetCore.DataProtection.DataProtectionCommonExtensions.Protect(provider.CreateProtector("test"), "make a key");
            var file = folder.GetFiles("key-*.xml").Single();
            var xml = await File.ReadAllTextAsync(file.FullName);
            PlainKeyId = Guid.Parse(System.Xml.Linq.XElement.Parse(xml).Attribute("id")!.Value);
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(DatabaseConnectionString);
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO DataProtectionKeys (FriendlyName, Xml) VALUES ($name, $xml)";
            insert.Parameters.AddWithValue("$name", "key-" + PlainKeyId);
            insert.Parameters.AddWithValue("$xml", xml);
            await insert.ExecuteNonQueryAsync();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

public class PlainKeyTests(PlainKeyPortalFactory factory) : IClassFixture<PlainKeyPortalFactory>
{
    [Fact]
    public async Task A_key_stored_unencrypted_before_the_upgrade_is_revoked_at_start_and_new_keys_are_encrypted()
    {
        await PortalFactory.LoginFormFieldsAsync(factory.CreateClient());

        var keys = factory.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.KeyManagement.IKeyManager>().GetAllKeys();
        Assert.True(Assert.Single(keys, k => k.KeyId == factory.PlainKeyId).IsRevoked);
        Assert.Contains(keys, k => k.KeyId != factory.PlainKeyId && !k.IsRevoked);
    }
}
