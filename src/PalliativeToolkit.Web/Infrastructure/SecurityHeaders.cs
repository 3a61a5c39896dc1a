using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace PalliativeToolkit.Web.Infrastructure;

/// <summary>
/// The response headers every answer carries (pages, static files, errors, health), and which proxies may say what the
/// client's address and scheme were. See docs/security.md.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>A year, the value HSTS preload lists ask for.</summary>
    private const int HstsMaxAgeSeconds = 365 * 24 * 60 * 60;

    /// <summary>
    /// The portal's policy. Scripts come only from the portal itself (Blazor, MudBlazor and the passkey module are files,
    /// no eval); the one inline script, Blazor's import map, carries the answer's nonce. Styles also allow inline: Blazor renders MudBlazor's <c>style</c> attributes and the
    /// theme's <c>&lt;style&gt;</c> element, which a hash or nonce cannot cover. The Blazor circuit's WebSocket is same-origin.
    /// </summary>
    public static HeaderPolicyCollection Policy(bool isDevelopment)
    {
        var policy = new HeaderPolicyCollection()
            .AddFrameOptionsDeny()
            .AddContentTypeOptionsNoSniff()
            .AddReferrerPolicyStrictOriginWhenCrossOrigin()
            .AddCrossOriginOpenerPolicy(coop => coop.SameOrigin())
            .AddPermissionsPolicy(permissions =>
            {
                permissions.AddDefaultSecureDirectives();

                // Passkeys (the account pages) need the Web Authentication API on the portal's own pages.
                permissions.AddPublickeyCredentialsGet().Self();
                permissions.AddPublickeyCredentialsCreate().Self();
            })
            .AddContentSecurityPolicy(csp =>
            {
                csp.AddDefaultSrc().Self();
                csp.AddScriptSrc().Self().WithNonce();
                csp.AddStyleSrc().Self().UnsafeInline();
                csp.AddImgSrc().Self().Data();
                csp.AddFontSrc().Self().Data();
                csp.AddConnectSrc().Self();
                csp.AddObjectSrc().None();
                csp.AddBaseUri().Self();
                csp.AddFormAction().Self();
                csp.AddFrameAncestors().None();
            })
            .RemoveServerHeader();

        // Sent on HTTPS answers only; never in Development, where a browser would remember it for localhost.
        return isDevelopment ? policy : policy.AddStrictTransportSecurityMaxAgeIncludeSubDomains(HstsMaxAgeSeconds);
    }

    /// <summary>
    /// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are honoured only from the proxies named in
    /// <c>ForwardedHeaders:KnownProxies</c> (addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR ranges); with
    /// neither set, only a proxy on this machine (loopback). A client that sends them itself changes nothing.
    /// </summary>
    public static void ConfigureForwardedHeaders(ForwardedHeadersOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        var section = configuration.GetSection("ForwardedHeaders");
        var proxies = section.GetSection("KnownProxies").Get<string[]>() ?? [];
        var networks = section.GetSection("KnownNetworks").Get<string[]>() ?? [];
        if (proxies.Length == 0 && networks.Length == 0)
        {
            return;
        }

        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                ? address
                : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies has '{proxy}', which is not an IP address."));
        }

        foreach (var network in networks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks has '{network}', which is not a CIDR range such as 10.0.0.0/8."));
        }
    }
}
