using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.ActionPlans;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Community;

namespace PalliativeToolkit.Web.Features.ActionPlans;

/// <summary>Whether the viewer has a calendar subscription, and since when.</summary>
public sealed record SubscriptionState(bool Exists, DateTime? CreatedAt, DateTime? LastPolledAt);

/// <summary>
/// The action plan's due dates as iCalendar (RFC 5545): a file to download, and a private subscription address per
/// person that calendar apps poll. The address carries a random token; only its SHA-256 is stored, so it is shown once
/// when made. Making a new one or turning it off revokes the old one at once. The feed also holds the learning-community
/// events the person is registered for (<see cref="CommunityCalendar"/>).
/// </summary>
public sealed class ActionPlanCalendar(OperationRunner operations, CommunityCalendar community, TimeProvider time)
{
    public const string FeedPath = "/calendar/feed";

    /// <summary>The download: open items of the organization (one the viewer belongs to) that have a due date.</summary>
    public Task<Outcome<string>> FileAsync(ClaimsPrincipal principal, Guid organizationId, CancellationToken cancellationToken = default) =>
        operations.RunAsync<string>(principal, async op =>
        {
            if (op.Viewer.RoleIn(organizationId) is null)
            {
                return Failure.Missing("That action plan does not exist, or you do not have access to it.");
            }

            return CommunityCalendar.Serialize(await CalendarAsync(op, [organizationId], op.Viewer.UserId));
        }, cancellationToken);

    /// <summary>
    /// The feed of a subscription token: the open items of every organization its person belongs to and the events they are
    /// registered for (linked to <paramref name="portal"/> when given), or null for an unknown token.
    /// </summary>
    public async Task<string?> FeedAsync(string token, Uri? portal = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            return null;
        }

        var hash = Hash(token);
        string userId;
        await using (var system = operations.OpenAsSystem(cancellationToken))
        {
            var subscription = await system.Db.CalendarSubscriptions.SingleOrDefaultAsync(s => s.TokenHash == hash, system.Cancellation);
            if (subscription is null)
            {
                return null;
            }

            // Calendar apps poll often: the time of the last poll is kept to the minute, not written at every request.
            if (subscription.LastPolledAt is not { } last || system.Now - last > TimeSpan.FromMinutes(1))
            {
                subscription.Polled(system.Now);
                await system.SaveAsync();
            }

            userId = subscription.UserId;
        }

        // The feed then reads as its person, through the same access rule as every page: a locked account or a membership
        // taken away reads nothing from the next poll on.
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId)], "CalendarFeed"));
        var outcome = await operations.RunAsync<string>(principal, async op =>
        {
            var calendar = await CalendarAsync(op, op.Viewer.IsAuthenticated ? op.Viewer.OrganizationIds : [], userId, "PalliativeToolkit: due dates and events");
            await community.AddRegisteredAsync(op, calendar, portal);
            return CommunityCalendar.Serialize(calendar);
        }, cancellationToken);
        return outcome.Succeeded ? outcome.Value : null;
    }

    private async Task<Calendar> CalendarAsync(Operation op, IReadOnlyList<Guid> organizations, string userId, string name = "Action plan due dates")
    {
        var items = await (from i in op.Db.ActionItems
                           join o in op.Db.Organizations on i.OrganizationId equals o.Id
                           where organizations.Contains(i.OrganizationId) && i.DueDate != null
                                 && (i.Status == ActionStatus.Planned || i.Status == ActionStatus.InProgress)
                           select new { i.Id, i.Title, i.ElementCode, i.DueDate, i.Status, i.OwnerId, i.Version, Organization = o.Name })
            .AsNoTracking().ToListAsync(op.Cancellation);
        var calendar = new Calendar { ProductId = "-//PalliativeToolkit//Action plans//EN" };
        calendar.AddProperty("X-WR-CALNAME", name);
        calendar.AddProperty("X-PUBLISHED-TTL", "PT1H");
        var stamp = new CalDateTime(time.GetUtcNow().UtcDateTime, "UTC");
        foreach (var item in items.OrderBy(i => i.DueDate))
        {
            var due = item.DueDate!.Value;
            var mine = item.OwnerId == userId ? " (yours)" : string.Empty;
            calendar.Events.Add(new CalendarEvent
            {
                Uid = $"{item.Id}@palliativetoolkit",
                Summary = $"Due: {item.Title}{mine}",
                Description = $"{item.Organization}, element {item.ElementCode}. Status: {item.Status.Describe()}.",
                DtStart = new CalDateTime(due),
                // An all-day event ends the next day; a date stored on the calendar's last day has none (RFC 5545: one day).
                DtEnd = due < DateOnly.MaxValue ? new CalDateTime(due.AddDays(1)) : null,
                DtStamp = stamp,
                Transparency = "TRANSPARENT",
            });
        }

        return calendar;
    }

    public Task<Outcome<SubscriptionState>> StateAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<SubscriptionState>(principal, async op =>
        {
            if (!op.Viewer.IsAuthenticated)
            {
                return Failure.Refuse("Sign in to subscribe to your calendar.");
            }

            var mine = await op.Db.CalendarSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.UserId == op.Viewer.UserId, op.Cancellation);
            return new SubscriptionState(mine is not null, mine?.CreatedAt, mine?.LastPolledAt);
        }, cancellationToken);

    /// <summary>Makes the viewer's subscription address, replacing (and so revoking) any earlier one. Answers the token, shown once.</summary>
    public Task<Outcome<string>> CreateAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<string>(principal, async op =>
        {
            if (!op.Viewer.IsAuthenticated)
            {
                return Failure.Refuse("Sign in to subscribe to your calendar.");
            }

            // The old address goes and the new one comes in one save (one transaction).
            op.Db.CalendarSubscriptions.RemoveRange(await op.Db.CalendarSubscriptions.Where(s => s.UserId == op.Viewer.UserId).ToListAsync(op.Cancellation));
            var token = Base64Url(RandomNumberGenerator.GetBytes(32));
            op.Db.CalendarSubscriptions.Add(new CalendarSubscription(op.Viewer.UserId, Hash(token), op.Now));
            try
            {
                await op.SaveAsync();
            }
            catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
            {
                return Failure.Refuse("Another address was being made for you at the same moment. Make one again.");
            }

            return token;
        }, cancellationToken);

    /// <summary>Turns the viewer's subscription address off: calendar apps polling it get nothing from now on.</summary>
    public Task<Outcome<Done>> RevokeAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Done>(principal, async op =>
        {
            var mine = await op.Db.CalendarSubscriptions.SingleOrDefaultAsync(s => s.UserId == op.Viewer.UserId, op.Cancellation);
            if (mine is not null)
            {
                op.Db.CalendarSubscriptions.Remove(mine);
                await op.SaveAsync();
            }

            return Done.Value;
        }, cancellationToken);

    public static string FeedAddress(Uri portal, string token)
    {
        ArgumentNullException.ThrowIfNull(portal);
        return new Uri(portal, $"{FeedPath.TrimStart('/')}/{token}.ics").AbsoluteUri;
    }

    /// <summary>A request path as logs may keep it: a feed's token replaced by asterisks.</summary>
    public static string Redact(string path) =>
        path.StartsWith(FeedPath + "/", StringComparison.OrdinalIgnoreCase) ? $"{FeedPath}/***.ics" : path;

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
