using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Email;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Persistence;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Admin;

/// <summary>
/// Creating an account without a password and emailing the link to choose one: shared by administrators (any
/// organization, global roles) and organization managers (their own organization). Callers check who may do it.
/// Each call uses its own UserManager scope, never the circuit's.
/// </summary>
public sealed class Invitations(IServiceScopeFactory scopes, AccountEmailSender emails, ILogger<Invitations> logger)
{
    /// <summary>
    /// Creates the account with its global roles and, when given, its membership, in one transaction: either all of it
    /// exists afterwards or none of it. On refusal the result says why, next to <paramref name="emailField"/>;
    /// <paramref name="whenTaken"/> is what the caller tells someone whose address already has an account.
    /// </summary>
    public async Task<(ApplicationUser? User, OperationResult? Refusal)> CreateAccountAsync(
        string email, string displayName, IReadOnlyCollection<string> globalRoles, (Guid OrganizationId, OrganizationRole Role)? membership,
        string emailField, string whenTaken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var db = scope.ServiceProvider.GetRequiredService<ToolkitDbContext>();
        var address = email.Trim();
        var taken = OperationResult.FieldError(emailField, whenTaken);
        if (await users.FindByEmailAsync(address) is not null)
        {
            return (null, taken);
        }

        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            // The administrator or manager vouches for the address; following the emailed link proves it.
            var user = new ApplicationUser { UserName = address, Email = address, DisplayName = displayName.Trim(), EmailConfirmed = true };
            try
            {
                var result = await users.CreateAsync(user);
                foreach (var role in globalRoles)
                {
                    result = result.Succeeded ? await users.AddToRoleAsync(user, role) : result;
                }

                if (!result.Succeeded)
                {
                    await transaction.RollbackAsync();
                    return (null, OperationResult.FieldError(emailField, string.Join(" ", result.Errors.Select(e => e.Description))));
                }

                if (membership is { } m)
                {
                    db.Memberships.Add(new Membership(user.Id, m.OrganizationId, m.Role));
                    await db.SaveChangesAsync();
                }

                await transaction.CommitAsync();
            }
            catch (DbUpdateException)
            {
                // The same address was taken a moment ago (unique user name).
                await transaction.RollbackAsync();
                return ((ApplicationUser?)null, (OperationResult?)taken);
            }

            logger.LogInformation("Account {UserId} created by invitation", user.Id);
            return (user, null);
        });
    }

    /// <summary>Emails a link to choose a password. <paramref name="what"/> tells the person why they have the account.</summary>
    public async Task<OperationResult> SendPasswordLinkAsync(ApplicationUser user, Uri portal, string what, string ifFailed)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
        var link = new Uri(portal, $"Account/ResetPassword?code={Uri.EscapeDataString(code)}").AbsoluteUri;
        return await emails.SendInvitationAsync(user, user.Email!, what, link)
            ? OperationResult.Ok()
            : OperationResult.Refused($"{ifFailed}, but the email could not be sent. Check the Email settings (the log names the failure), then use \"Send password link\".");
    }
}
