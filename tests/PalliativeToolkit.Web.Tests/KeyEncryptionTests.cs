using Microsoft.EntityFrameworkCore;

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
}
