using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Web.Infrastructure;

/// <summary>
/// The data-protection key ring (which signs and encrypts sign-in cookies and antiforgery tokens) is stored in the
/// database, and every key in it is encrypted with a certificate: whoever can read the database cannot forge a cookie
/// without the certificate's private key too.
/// <list type="bullet">
/// <item><c>DataProtection:Certificate:Path</c> (a .pfx file) and <c>DataProtection:Certificate:Password</c>: the
/// certificate new keys are encrypted with. Required outside Development.</item>
/// <item><c>DataProtection:PreviousCertificates:N:Path</c> / <c>Password</c>: certificates that encrypted older keys,
/// kept while those keys are still in use after the certificate is replaced.</item>
/// <item>In Development, without a setting, a self-signed certificate is made once in <c>App_Data/</c>.</item>
/// </list>
/// </summary>
public static class KeyEncryption
{
    public const string SectionName = "DataProtection";
    public const string DevelopmentCertificate = "App_Data/dataprotection-development.pfx";

    public static IDataProtectionBuilder ProtectKeysWithConfiguredCertificate(this IDataProtectionBuilder builder, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var section = configuration.GetSection(SectionName);
        var path = section["Certificate:Path"];
        X509Certificate2 certificate;
        if (!string.IsNullOrWhiteSpace(path))
        {
            certificate = Load(Path.GetFullPath(path, environment.ContentRootPath), section["Certificate:Password"], "DataProtection:Certificate");
        }
        else if (environment.IsDevelopment())
        {
            certificate = DevelopmentCertificateAt(Path.Combine(environment.ContentRootPath, DevelopmentCertificate), TimeProvider.System);
        }
        else
        {
            throw new InvalidOperationException(
                "DataProtection:Certificate:Path is required outside Development: the keys that sign sign-in cookies are stored in the database and are encrypted with this certificate (a .pfx file, with DataProtection:Certificate:Password). See docs/security.md#keys-at-rest.");
        }

        var previous = section.GetSection("PreviousCertificates").GetChildren()
            .Select((c, i) => Load(Path.GetFullPath(c["Path"] ?? string.Empty, environment.ContentRootPath), c["Password"], $"DataProtection:PreviousCertificates:{i}"))
            .ToArray();
        return builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate([certificate, .. previous]);
    }

    /// <summary>
    /// Revokes the keys stored before keys were encrypted (their secret is in the database as plain text): a reader of
    /// the database could otherwise still forge cookies with them. Everyone signed in with such a key signs in again,
    /// once; new keys are encrypted.
    /// </summary>
    public static async Task RevokeUnencryptedKeysAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var keys = app.Services.GetRequiredService<IKeyManager>();
        var revoked = keys.GetAllKeys().Where(k => k.IsRevoked).Select(k => k.KeyId).ToHashSet();
        var plain = (await StoredKeys.UnencryptedAsync(app.Services)).Where(id => !revoked.Contains(id)).ToList();
        foreach (var id in plain)
        {
            keys.RevokeKey(id, "Stored unencrypted, before keys were encrypted with DataProtection:Certificate.");
        }

        if (plain.Count > 0)
        {
            app.Logger.LogWarning("Revoked {Count} data-protection keys stored without encryption: people signed in with them sign in again.", plain.Count);
        }
    }

    /// <summary>
    /// Makes a self-signed certificate for encrypting keys, valid from a day before <paramref name="clock"/>'s now for ten
    /// years, and writes it (without a password unless given) to <paramref name="path"/>.
    /// </summary>
    public static X509Certificate2 CreateCertificate(string path, TimeProvider clock, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=PalliativeToolkit data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        var now = clock.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        var pfx = created.Export(X509ContentType.Pkcs12, password);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        // Written whole under another name, then moved into place: a second process starting at the same moment either
        // finds no file or the whole file, and keeps whichever certificate got there first.
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temporary, pfx);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }

        return Load(path, password, path);
    }

    private static X509Certificate2 DevelopmentCertificateAt(string path, TimeProvider clock) =>
        File.Exists(path) ? Load(path, null, path) : CreateCertificate(path, clock);

    private static X509Certificate2 Load(string path, string? password, string setting)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{setting}: no certificate file at {path}.");
        }

        X509Certificate2 certificate;
        try
        {
            // In memory only where the platform allows it (Linux); Windows and macOS keep the key where they always do.
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, OperatingSystem.IsLinux() ? X509KeyStorageFlags.EphemeralKeySet : X509KeyStorageFlags.DefaultKeySet);
        }
        catch (Exception ex) when (ex is CryptographicException or PlatformNotSupportedException)
        {
            throw new InvalidOperationException($"{setting}: {path} could not be read as a .pfx certificate with the password given ({ex.Message}).");
        }

        if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is null)
        {
            throw new InvalidOperationException($"{setting}: {path} has no RSA private key; keys are encrypted and decrypted with it.");
        }

        return certificate;
    }
}
