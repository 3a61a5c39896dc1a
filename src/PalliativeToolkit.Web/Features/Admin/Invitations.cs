using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Email;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;

namespace PalliativeToolkit.Web.Features.Admin;

/// <summary>
/// Creating an account without a password and emailing the link to choose one: shared by administrators (any
/// organization, global roles) and organization managers (their own organization). Callers check who may do it.
/// Both run inside the caller's operation, so Identity's stores share its database context and the audit trail names
/// the administrator or manager who acted.
/// </summary>
public sealed class Invitations(AccountEmailSender emails, ILogger<Invitations> logger)
{
    /// <summary>
    /// Creates the account with its global roles and, when given, its membership, in one transaction: either all of it
    /// exists afterwards or none of it. On refusal the outcome says why, next to <paramref name="emailField"/>;
    /// <paramref name="whenTaken"/> is what the caller tells someone whose address already has an account.
    /// </summary>
    public async Task<Outcome<ApplicationUser>> CreateAccountAsync(
        Operation op, string email, string displayName, IReadOnlyCollection<string> globalRoles, (Guid OrganizationId, OrganizationRole Role)? membership,
        string emailField, string whenTaken)
    {
        ArgumentNullException.ThrowIfNull(op);
        var users = op.Services.GetRequiredService<UserManager<ApplicationUser>>();
        var address = email.Trim();
        var taken = Failure.FieldError(emailField, whenTaken);
        if (await users.FindByEmailAsync(address) is not null)
        {
            return taken;
        }

        return await op.Db.Database.CreateExecutionStrategy().ExecuteAsync(async Task<Outcome<ApplicationUser>> () =>
        {
            await using var transaction = await op.Db.Database.BeginTransactionAsync(op.Cancellation);
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
                    await transaction.RollbackAsync(op.Cancellation);
                    return Failure.FieldError(emailField, string.Join(" ", result.Errors.Select(e => e.Description)));
                }

                if (membership is { } m)
                {
                    op.Db.Memberships.Add(new Membership(user.Id, m.OrganizationId, m.Role));
                    await op.SaveAsync();
                }

                await transaction.CommitAsync(op.Cancellation);
            }
            catch (DbUpdateException)
            {
                // The same address was taken a moment ago (unique user name).
                await transaction.RollbackAsync(op.Cancellation);
                return taken;
            }

            logger.LogInformation("Account {UserId} created by invitation", user.Id);
            return user;
        });
    }

    /// <summary>Emails a link to choose a password. <paramref name="what"/> tells the person why they have the account.</summary>
    public async Task<Outcome<Done>> SendPasswordLinkAsync(Operation op, ApplicationUser user, Uri portal, string what, string ifFailed)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(user);
        var users = op.Services.GetRequiredService<UserManager<ApplicationUser>>();
        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
        var link = new Uri(portal, $"Account/ResetPassword?code={Uri.EscapeDataString(code)}").AbsoluteUri;
        return await emails.SendInvitationAsync(user, user.Email!, what, link)
            ? Done.Value
            : Failure.Refuse($"{ifFailed}, but the email could not be sent. Check the Email settings (the log names the failure), then use \"Send password link\".");
    }
}
