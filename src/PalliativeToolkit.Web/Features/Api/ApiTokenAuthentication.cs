using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PalliativeToolkit.Infrastructure.Identity;

namespace PalliativeToolkit.Web.Features.Api;

/// <summary>
/// The API's one authentication scheme: <c>Authorization: Bearer ptk_…</c>, a personal API token
/// (<see cref="ApiTokenStore"/>). The API's endpoints use this scheme only, so a sign-in cookie never authorizes an API
/// call (a page of another site cannot make a signed-in browser call the API for it).
/// <para>
/// The principal it builds names the token's account (its id, name and the roles that read statewide data) and the
/// token, and carries no sign-in session: the token is the credential, checked on every request, so the operation that
/// serves the call resolves the account from the database like any other (<c>OperationRunner</c>) and needs no live
/// cookie session. A token therefore outlives "sign out everywhere"; it is stopped by revoking it, by its expiry, by a
/// lock, or by its account losing the role or the second factor that role requires.
/// </para>
/// </summary>
public sealed class ApiTokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokenStore tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    /// <summary>The claim naming the token an API principal came with (its id, never its secret).</summary>
    public const string TokenClaim = "ptk:api-token";

    private const string Realm = "PalliativeToolkit API";
    private const string RefusalItem = "ptk:api-token-refusal";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        const string Bearer = "Bearer ";
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            Context.Items[RefusalItem] = "The Authorization header must be: Bearer followed by a personal API token.";
            return AuthenticateResult.Fail("Not a bearer token.");
        }

        var check = await tokens.CheckAsync(header[Bearer.Length..].Trim(), Context.RequestAborted);
        if (check.Holder is not { } holder)
        {
            var refusal = check.Refusal ?? ApiTokenRefusal.Unknown;
            Context.Items[RefusalItem] = Describe(refusal);
            Logger.LogInformation("API token refused: {Refusal}.", refusal);
            return AuthenticateResult.Fail(refusal.ToString());
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, holder.UserId),
            new(ClaimTypes.Name, holder.Email ?? holder.UserId),
            new(TokenClaim, holder.TokenId.ToString()),
        };
        claims.AddRange(holder.Roles.Select(role => new Claim(ClaimTypes.Role, role)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>401 with <c>WWW-Authenticate: Bearer</c> (RFC 6750) and a problem-details body saying what to send.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var refusal = Context.Items[RefusalItem] as string;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers[HeaderNames.WWWAuthenticate] = refusal is null
            ? $"Bearer realm=\"{Realm}\""
            : $"Bearer realm=\"{Realm}\", error=\"invalid_token\", error_description=\"{refusal}\"";
        await ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Unauthorized",
            refusal ?? "Send a personal API token: Authorization: Bearer ptk_… (statewide reviewers and administrators make one on My account, API tokens).");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", "This token's account may not read the statewide data.");
    }

    /// <summary>What the caller is told (no more than the holder of that secret may know).</summary>
    private static string Describe(ApiTokenRefusal refusal) => refusal switch
    {
        ApiTokenRefusal.Expired => "The token has expired. Make a new one on My account.",
        ApiTokenRefusal.Revoked => "The token was revoked.",
        ApiTokenRefusal.NotAllowed => "The token's account is locked, or no longer reads statewide data (or lacks the second factor its role requires).",
        _ => "The token is not valid.",
    };
}
