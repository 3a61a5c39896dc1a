using System.Security.Claims;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Accounts;
using PalliativeToolkit.Domain.Auditing;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Auditing;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Api;

/// <summary>A token as My account lists it (never its secret).</summary>
public sealed record ApiTokenRow(Guid Id, string Name, string Prefix, DateTime CreatedAt, DateTime ExpiresAt, DateTime? LastUsedAt, DateTime? RevokedAt, ApiTokenState State);

/// <summary>A token just made: <see cref="Secret"/> is shown this once and kept nowhere.</summary>
public sealed record CreatedApiToken(Guid Id, string Name, string Secret, DateTime ExpiresAt);

public sealed class CreateApiTokenCommand
{
    public string Name { get; set; } = string.Empty;

    /// <summary>One of <see cref="ApiToken.LifetimeDays"/>.</summary>
    public int ExpiresInDays { get; set; } = 90;
}

public sealed class CreateApiTokenValidator : AbstractValidator<CreateApiTokenCommand>
{
    public CreateApiTokenValidator()
    {
        RuleFor(c => c.Name)
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Name the token after the program or report that will use it.")
            .Must(n => n is null || n.Trim().Length <= ApiToken.NameLength).WithMessage($"The name can be at most {ApiToken.NameLength} characters.");
        RuleFor(c => c.Name).PlainLine();
        RuleFor(c => c.ExpiresInDays)
            .Must(d => ApiToken.LifetimeDays.Contains(d))
            .WithMessage($"Choose when the token expires: in {string.Join(", ", ApiToken.LifetimeDays.Take(ApiToken.LifetimeDays.Count - 1))} or {ApiToken.LifetimeDays[^1]} days.");
    }
}

/// <summary>
/// Personal API tokens on My account: statewide reviewers and administrators (with the second factor their role needs)
/// make, list and revoke their own. Making and revoking one are recorded in the audit trail (name, prefix and expiry;
/// never the secret nor its hash).
/// </summary>
public sealed class ApiTokenService(OperationRunner operations, ISecurityAudit audit)
{
    /// <summary>How many tokens one person may have active at once.</summary>
    public const int MaxActive = 10;

    private const string OnlyReaders = "Only statewide reviewers and administrators, signed in with their second factor, have API tokens.";
    private static readonly CreateApiTokenValidator Validator = new();

    public Task<Outcome<IReadOnlyList<ApiTokenRow>>> ListAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<IReadOnlyList<ApiTokenRow>>(principal, async op =>
        {
            op.Demand(Permission.ViewStatewide, OnlyReaders);
            var tokens = await op.Db.ApiTokens.AsNoTracking()
                .Where(t => t.UserId == op.Viewer.UserId)
                .OrderByDescending(t => t.CreatedAt)
                .Take(100)
                .ToListAsync(op.Cancellation);
            return tokens.Select(t => new ApiTokenRow(t.Id, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt, t.StateAt(op.Now))).ToList();
        }, cancellationToken);

    /// <summary>Makes a token for the viewer and answers its secret, which is shown once.</summary>
    public Task<Outcome<CreatedApiToken>> CreateAsync(ClaimsPrincipal principal, CreateApiTokenCommand command, CancellationToken cancellationToken = default) =>
        operations.RunAsync<CreateApiTokenCommand, CreatedApiToken>(principal, command, Validator, async op =>
        {
            op.Demand(Permission.ViewStatewide, OnlyReaders);
            var name = command.Name.Trim();
            var active = await op.Db.ApiTokens.AsNoTracking()
                .Where(t => t.UserId == op.Viewer.UserId && t.RevokedAt == null && t.ExpiresAt > op.Now)
                .Select(t => t.Name)
                .ToListAsync(op.Cancellation);
            if (active.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return Failure.FieldError(nameof(CreateApiTokenCommand.Name), $"You already have an active token named \u201c{name}\u201d. Choose another name, or revoke that one first.");
            }

            if (active.Count >= MaxActive)
            {
                return Failure.Refuse($"You have {MaxActive} active tokens, the most one person may have. Revoke one you no longer use first.");
            }

            var (secret, prefix, hash) = ApiTokenSecret.New();
            var token = new ApiToken(op.Viewer.UserId, name, prefix, hash, op.Now, command.ExpiresInDays);
            op.Db.ApiTokens.Add(token);
            audit.Stage(op.Db, SecurityEvent.ApiTokenCreated, op.Viewer.UserId, op.Viewer.UserId,
                after: new { TokenId = token.Id, Name = AuditText.Clean(token.Name), token.Prefix, token.ExpiresAt });
            await op.SaveAsync();
            return new CreatedApiToken(token.Id, token.Name, secret, token.ExpiresAt);
        }, cancellationToken);

    /// <summary>Revokes one of the viewer's tokens: it is refused from its next request on. Revoking a revoked token changes nothing.</summary>
    public Task<Outcome<ApiTokenRow>> RevokeAsync(ClaimsPrincipal principal, Guid tokenId, CancellationToken cancellationToken = default) =>
        operations.RunAsync<ApiTokenRow>(principal, async op =>
        {
            // Anyone signed in may revoke a token of their own: one who lost the role can still clean up.
            var token = await op.Db.ApiTokens.SingleOrDefaultAsync(t => t.Id == tokenId && t.UserId == op.Viewer.UserId, op.Cancellation);
            if (token is null || !op.Viewer.IsAuthenticated)
            {
                return Failure.Missing("That token does not exist, or it is not yours.");
            }

            if (token.RevokedAt is null)
            {
                token.Revoke(op.Now);
                audit.Stage(op.Db, SecurityEvent.ApiTokenRevoked, op.Viewer.UserId, op.Viewer.UserId,
                    after: new { TokenId = token.Id, Name = AuditText.Clean(token.Name), token.Prefix });
                await op.SaveAsync();
            }

            return new ApiTokenRow(token.Id, token.Name, token.Prefix, token.CreatedAt, token.ExpiresAt, token.LastUsedAt, token.RevokedAt, token.StateAt(op.Now));
        }, cancellationToken);
}
