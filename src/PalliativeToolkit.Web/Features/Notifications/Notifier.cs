using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PalliativeToolkit.Domain.ActionPlans;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Notifications;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Email;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Community;
using PalliativeToolkit.Web.Features.Feedback;

namespace PalliativeToolkit.Web.Features.Notifications;

/// <summary>
/// Tells people what happened to an assessment once the change is stored: managers of the organization when it is
/// returned or accepted (with the feedback), statewide reviewers when one is submitted. Each recipient gets an entry in
/// their in-app list and, unless they turned the kind off, an email — queued in the outbox, or kept for their daily
/// digest. It runs after the action has committed and never fails it: a problem here is logged, and the outbox retries
/// a send that fails.
/// </summary>
public sealed class Notifier(OperationRunner operations, EmailOutbox outbox, IPersonalSignals signals, IOptions<EmailOptions> email, ILogger<Notifier> logger)
{
    public Task AssessmentSubmittedAsync(Guid assessmentId, string actorId, Uri? portal) => NotifyAsync(NotificationKind.AssessmentSubmitted, assessmentId, actorId, portal);

    public Task AssessmentReturnedAsync(Guid assessmentId, string actorId, Uri? portal) => NotifyAsync(NotificationKind.AssessmentReturned, assessmentId, actorId, portal);

    public Task AssessmentAcceptedAsync(Guid assessmentId, string actorId, Uri? portal) => NotifyAsync(NotificationKind.AssessmentAccepted, assessmentId, actorId, portal);

    private async Task NotifyAsync(NotificationKind kind, Guid assessmentId, string actorId, Uri? portal)
    {
        try
        {
            var told = await WriteAsync(kind, assessmentId, actorId, portal);
            foreach (var recipient in told)
            {
                signals.Tell(recipient);
            }

            outbox.Wake();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Notifications of {Kind} for assessment {AssessmentId} were not written", kind, assessmentId);
        }
    }

    private sealed record Recipient(string Id, string? Email, string Name);

    private async Task<List<string>> WriteAsync(NotificationKind kind, Guid assessmentId, string actorId, Uri? portal)
    {
        await using var op = operations.OpenAsSystem();
        var assessment = await op.Db.Assessments.AsNoTracking().Where(a => a.Id == assessmentId)
            .Select(a => new { a.Id, a.OrganizationId, Organization = a.Organization!.Name, a.Cycle, a.Round })
            .SingleOrDefaultAsync(op.Cancellation);
        if (assessment is null)
        {
            return [];
        }

        var actor = await op.Db.Users.AsNoTracking().Where(u => u.Id == actorId).Select(u => u.DisplayName).FirstOrDefaultAsync(op.Cancellation) ?? "Someone";
        List<Recipient> recipients = kind == NotificationKind.AssessmentSubmitted
            ? await (from ur in op.Db.UserRoles
                     join r in op.Db.Roles on ur.RoleId equals r.Id
                     join u in op.Db.Users on ur.UserId equals u.Id
                     where r.Name == GlobalRoles.StatewideReviewer
                     select new Recipient(u.Id, u.Email, u.DisplayName)).ToListAsync(op.Cancellation)
            : await (from m in op.Db.Memberships
                     join u in op.Db.Users on m.UserId equals u.Id
                     where m.OrganizationId == assessment.OrganizationId && m.Role == OrganizationRole.Manager
                     select new Recipient(u.Id, u.Email, u.DisplayName)).ToListAsync(op.Cancellation);
        recipients = recipients.Where(r => r.Id != actorId).DistinctBy(r => r.Id).ToList();
        if (recipients.Count == 0)
        {
            return [];
        }

        var name = $"{assessment.Organization} {assessment.Cycle}";
        var (title, body) = kind switch
        {
            NotificationKind.AssessmentSubmitted => ($"{name} was submitted for review", $"{actor} submitted {name} (round {assessment.Round}) for review."),
            NotificationKind.AssessmentReturned => ($"{name} was returned with feedback", $"{actor} returned {name} (round {assessment.Round}) with feedback.\n\n{await FeedbackAsync(op, assessmentId, assessment.Round)}"),
            _ => ($"{name} was accepted", $"{actor} accepted {name} (round {assessment.Round}). It is now the record of cycle {assessment.Cycle}."),
        };
        var told = await AddAsync(op, recipients, kind, assessmentId, title, body, $"assessments/{assessmentId}", portal);
        await op.SaveAsync();
        logger.LogInformation("{Kind} of assessment {AssessmentId}: {Count} people notified", kind, assessmentId, told.Count);
        return told;
    }

    /// <summary>
    /// Tells a member that an action item was assigned to them (not when they assigned it to themselves). Runs after the
    /// change is stored and never fails it.
    /// </summary>
    public async Task ActionItemAssignedAsync(Guid itemId, string actorId, Uri? portal)
    {
        try
        {
            await using var op = operations.OpenAsSystem();
            var item = await op.Db.ActionItems.AsNoTracking().Where(i => i.Id == itemId)
                .Select(i => new { i.Id, i.OwnerId, i.Title, i.ElementCode, i.DueDate }).SingleOrDefaultAsync(op.Cancellation);
            if (item?.OwnerId is null || item.OwnerId == actorId)
            {
                return;
            }

            var actor = await op.Db.Users.AsNoTracking().Where(u => u.Id == actorId).Select(u => u.DisplayName).FirstOrDefaultAsync(op.Cancellation) ?? "Someone";
            var owner = await RecipientsAsync(op, [item.OwnerId]);
            var due = item.DueDate is { } date ? $" It is due on {date:MMMM d, yyyy}." : string.Empty;
            var told = await AddAsync(op, owner, NotificationKind.ActionItemAssigned, null, $"Action item assigned to you: {item.Title}",
                $"{actor} assigned you the action item \"{item.Title}\" ({item.ElementCode}).{due}", $"action-plan?item={item.Id}", portal);
            await op.SaveAsync();
            Tell(told);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "The assignment of action item {ItemId} was not notified", itemId);
        }
    }

    /// <summary>
    /// Tells each owner about an item due within the next days (or overdue), once per due date; answers how many were told.
    /// Only owners who are still members of the item's organization, with an account that is not locked, are told. Each
    /// item is claimed with one conditional update (no version renewed, so nobody's open page sees a conflict), and only
    /// the instance whose claim changed the row writes the reminder.
    /// </summary>
    public async Task<int> ActionItemsDueAsync(DateOnly today, int days, CancellationToken cancellationToken = default)
    {
        await using var op = operations.OpenAsSystem(cancellationToken);
        var horizon = today.AddDays(days);
        var now = op.Now;
        var candidates = await (from i in op.Db.ActionItems.AsNoTracking()
                                join m in op.Db.Memberships on new { i.OrganizationId, UserId = i.OwnerId! } equals new { m.OrganizationId, m.UserId }
                                join u in op.Db.Users on m.UserId equals u.Id
                                where (i.Status == ActionStatus.Planned || i.Status == ActionStatus.InProgress) && i.DueDate != null && i.DueDate <= horizon
                                      && (i.ReminderSentFor == null || i.ReminderSentFor != i.DueDate)
                                select new { Item = i, Owner = new Recipient(u.Id, u.Email, u.DisplayName), u.LockoutEnd })
            .ToListAsync(op.Cancellation);
        candidates = candidates.Where(c => c.Item.NeedsReminder(today, days) && !(c.LockoutEnd > new DateTimeOffset(now, TimeSpan.Zero))).ToList();
        if (candidates.Count == 0)
        {
            return 0;
        }

        var ownerIds = candidates.Select(c => c.Owner.Id).Distinct().ToList();
        var settings = await op.Db.NotificationSettings.AsNoTracking().Where(s => ownerIds.Contains(s.UserId)).ToDictionaryAsync(s => s.UserId, op.Cancellation);
        var told = new List<string>();
        foreach (var (item, owner) in candidates.Select(c => (c.Item, c.Owner)))
        {
            var due = item.DueDate!.Value;
            var claimed = await op.Db.ActionItems
                .Where(i => i.Id == item.Id && i.OwnerId == owner.Id && i.DueDate == due && (i.ReminderSentFor == null || i.ReminderSentFor != due))
                .ExecuteUpdateAsync(set => set.SetProperty(i => i.ReminderSentFor, due), op.Cancellation);
            if (claimed == 0)
            {
                continue;
            }

            var when = due < today ? $"was due on {due:MMMM d, yyyy} and is overdue" : $"is due on {due:MMMM d, yyyy}";
            told.AddRange(Add(op, [owner], settings, NotificationKind.ActionItemDueSoon, null, $"Action item due: {item.Title}",
                $"The action item \"{item.Title}\" ({item.ElementCode}) {when}. Its status is {item.Status.Describe().ToLowerInvariant()}.",
                $"action-plan?item={item.Id}", null));
        }

        await op.SaveAsync();
        Tell(told);
        logger.LogInformation("Action items due: {Count} reminders", told.Count);
        return told.Count;
    }

    /// <summary>
    /// Tells the other side of a feedback thread what happened in it: when a reviewer acted, the organization's managers
    /// and contributors (those who answer); when the organization acted, the reviewers who wrote in the thread and still
    /// review (every reviewer, when none does any longer). The message itself is in the notification and its email.
    /// Runs after the change is stored and never fails it.
    /// </summary>
    public async Task FeedbackThreadAsync(Guid threadId, ThreadEvent happened, ThreadSide actorSide, string actorId, Uri? portal)
    {
        try
        {
            await using var op = operations.OpenAsSystem();
            var thread = await (from t in op.Db.FeedbackThreads.AsNoTracking()
                                join a in op.Db.Assessments on t.AssessmentId equals a.Id
                                join o in op.Db.Organizations on t.OrganizationId equals o.Id
                                join e in op.Db.Elements on t.ElementId equals e.Id
                                where t.Id == threadId
                                select new { t.Id, t.AssessmentId, t.OrganizationId, Organization = o.Name, a.Cycle, e.Code, e.Title })
                .SingleOrDefaultAsync(op.Cancellation);
            if (thread is null)
            {
                return;
            }

            var messages = await op.Db.FeedbackMessages.AsNoTracking().Where(m => m.ThreadId == threadId)
                .Select(m => new { m.AuthorId, m.Side, m.CreatedAt, m.Text }).ToListAsync(op.Cancellation);
            List<Recipient> recipients;
            NotificationKind kind;
            if (actorSide == ThreadSide.Reviewer)
            {
                kind = NotificationKind.FeedbackFromReviewer;
                recipients = Unlocked(op, await (from m in op.Db.Memberships
                                                 join u in op.Db.Users on m.UserId equals u.Id
                                                 where m.OrganizationId == thread.OrganizationId && (m.Role == OrganizationRole.Manager || m.Role == OrganizationRole.Contributor)
                                                 select new { Recipient = new Recipient(u.Id, u.Email, u.DisplayName), u.LockoutEnd }).ToListAsync(op.Cancellation),
                    x => x.LockoutEnd, x => x.Recipient);
            }
            else
            {
                kind = NotificationKind.FeedbackFromOrganization;
                var reviewers = await (from ur in op.Db.UserRoles
                                       join r in op.Db.Roles on ur.RoleId equals r.Id
                                       where r.Name == GlobalRoles.StatewideReviewer
                                       select ur.UserId).ToListAsync(op.Cancellation);
                var inThread = messages.Where(m => m.Side == ThreadSide.Reviewer).Select(m => m.AuthorId).Intersect(reviewers).ToList();
                recipients = await RecipientsAsync(op, inThread.Count > 0 ? inThread : reviewers);
            }

            recipients = recipients.Where(r => r.Id != actorId).DistinctBy(r => r.Id).ToList();
            if (recipients.Count == 0)
            {
                return;
            }

            var actor = await op.Db.Users.AsNoTracking().Where(u => u.Id == actorId).Select(u => u.DisplayName).FirstOrDefaultAsync(op.Cancellation) ?? "Someone";
            var who = actorSide == ThreadSide.Reviewer ? $"{actor} (statewide reviewer)" : $"{actor} ({thread.Organization})";
            var what = happened switch
            {
                ThreadEvent.Opened => "opened a feedback thread",
                ThreadEvent.Replied => "replied in the feedback thread",
                ThreadEvent.Resolved => "resolved the feedback thread",
                _ => "reopened the feedback thread",
            };
            var place = $"{thread.Organization} {thread.Cycle}, {thread.Code}";
            var body = $"{who} {what} on {thread.Code} {thread.Title} of {thread.Organization}'s assessment for {thread.Cycle}.";
            if ((happened is ThreadEvent.Opened or ThreadEvent.Replied) && messages.Count > 0)
            {
                body += $"\n\n{messages.OrderBy(m => m.CreatedAt).Last().Text}";
            }

            var code = Uri.EscapeDataString(thread.Code);
            var told = await AddAsync(op, recipients, kind, thread.AssessmentId, $"{place}: {actor} {what}", body,
                $"assessments/{thread.AssessmentId}?element={code}#element-{code}", portal);
            await op.SaveAsync();
            Tell(told);
            logger.LogInformation("Feedback thread {ThreadId} {Event}: {Count} people notified", threadId, happened, told.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "The change to feedback thread {ThreadId} was not notified", threadId);
        }
    }

    /// <summary>Tells the event's registrants that it was cancelled, with the reason. Runs after the change is stored and never fails it.</summary>
    public Task EventCancelledAsync(Guid eventId, string actorId, Uri? portal) => EventChangedAsync(eventId, null, actorId, portal);

    /// <summary>Tells the event's registrants that it moved from <paramref name="previousStart"/> to its new time. Never fails the change.</summary>
    public Task EventRescheduledAsync(Guid eventId, DateTime previousStart, string actorId, Uri? portal) => EventChangedAsync(eventId, previousStart, actorId, portal);

    private async Task EventChangedAsync(Guid eventId, DateTime? previousStart, string actorId, Uri? portal)
    {
        try
        {
            await using var op = operations.OpenAsSystem();
            var changed = await op.Db.CommunityEvents.AsNoTracking().SingleOrDefaultAsync(e => e.Id == eventId, op.Cancellation);
            if (changed is null)
            {
                return;
            }

            var recipients = (await RegistrantsAsync(op, eventId)).Where(r => r.Id != actorId).ToList();
            if (recipients.Count == 0)
            {
                return;
            }

            var name = $"{changed.Kind.Describe()} \"{changed.Title}\"";
            var (title, body) = previousStart is { } before
                ? ($"Moved: {changed.Title}", $"The {name} you are registered for has moved from {EventClock.Pacific(before)} to {EventClock.Pacific(changed.StartsAt)} ({EventClock.Duration(changed.DurationMinutes)}). Your registration stays.")
                : ($"Cancelled: {changed.Title}", $"The {name} on {EventClock.Pacific(changed.StartsAt)}, which you are registered for, is cancelled.\n\nReason: {changed.CancelReason}");
            var told = await AddAsync(op, recipients, NotificationKind.EventChanged, null, title, body, $"community/events/{eventId}", portal);
            await op.SaveAsync();
            Tell(told);
            logger.LogInformation("Event {EventId} {Change}: {Count} registrants notified", eventId, previousStart is null ? "cancelled" : "moved", told.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "The change to event {EventId} was not notified", eventId);
        }
    }

    /// <summary>
    /// The people registered for an event who still belong to the organization they registered for, with an account that is
    /// not locked; of a private call, only its plan's (run as the system, so the plan is checked here).
    /// </summary>
    private static async Task<List<Recipient>> RegistrantsAsync(Operation op, Guid eventId) =>
        Unlocked(op, await (from r in op.Db.EventRegistrations.AsNoTracking()
                            join e in op.Db.CommunityEvents on r.EventId equals e.Id
                            join m in op.Db.Memberships on new { r.OrganizationId, r.UserId } equals new { m.OrganizationId, m.UserId }
                            join u in op.Db.Users on r.UserId equals u.Id
                            where r.EventId == eventId && (e.PlanOrganizationId == null || r.OrganizationId == e.PlanOrganizationId)
                            select new { Recipient = new Recipient(u.Id, u.Email, u.DisplayName), u.LockoutEnd }).ToListAsync(op.Cancellation),
            x => x.LockoutEnd, x => x.Recipient).DistinctBy(r => r.Id).ToList();

    /// <summary>
    /// Reminds each registrant of an event that starts within <paramref name="ahead"/>, once per start time (an event
    /// moved to another time is reminded of again); answers how many were told. Only people still in the organization
    /// they registered for, with an account that is not locked, are told. Each registration is claimed with one conditional
    /// update, so on several instances only the one whose claim changed the row writes the reminder; the claim also
    /// needs the event still scheduled at the start the round read. The claims commit one by one, so the reminders are
    /// then written in one transaction that first holds each event still scheduled at that start (a reviewer's cancel or
    /// move waits for it, or committed before it and its event's reminders are dropped and their claims handed back): a
    /// reminder is never written for an event cancelled or moved meanwhile.
    /// The mark is on the registration, never on the event: a reviewer's edit of the event and this round don't write
    /// the same row (an edit that writes registrations writes only the columns it changed).
    /// </summary>
    public async Task<int> EventRemindersAsync(TimeSpan ahead, CancellationToken cancellationToken = default)
    {
        await using var op = operations.OpenAsSystem(cancellationToken);
        var now = op.Now;
        var horizon = now + ahead;
        var candidates = await (from r in op.Db.EventRegistrations.AsNoTracking()
                                join e in op.Db.CommunityEvents on r.EventId equals e.Id
                                join m in op.Db.Memberships on new { r.OrganizationId, r.UserId } equals new { m.OrganizationId, m.UserId }
                                join u in op.Db.Users on r.UserId equals u.Id
                                where e.Status == EventStatus.Scheduled && e.StartsAt > now && e.StartsAt <= horizon
                                      && (e.PlanOrganizationId == null || r.OrganizationId == e.PlanOrganizationId)
                                      && (r.ReminderSentFor == null || r.ReminderSentFor != e.StartsAt)
                                select new
                                {
                                    RegistrationId = r.Id,
                                    EventId = e.Id,
                                    e.Kind,
                                    e.Title,
                                    e.StartsAt,
                                    e.DurationMinutes,
                                    r.ReminderSentFor,
                                    Recipient = new Recipient(u.Id, u.Email, u.DisplayName),
                                    u.LockoutEnd,
                                })
            .ToListAsync(op.Cancellation);
        candidates = candidates.Where(c => !(c.LockoutEnd > new DateTimeOffset(now, TimeSpan.Zero))).ToList();
        if (candidates.Count == 0)
        {
            return 0;
        }

        var ids = candidates.Select(c => c.Recipient.Id).Distinct().ToList();
        var settings = await op.Db.NotificationSettings.AsNoTracking().Where(s => ids.Contains(s.UserId)).ToDictionaryAsync(s => s.UserId, op.Cancellation);
        var claims = new List<(Guid RegistrationId, Guid EventId, DateTime StartsAt, DateTime? Before)>();
        foreach (var candidate in candidates)
        {
            // The claim holds only while the event is still scheduled at the start read above: one cancelled or moved
            // since (a reviewer's edit between this round's read and its claim) is not reminded of at its old time.
            var start = candidate.StartsAt;
            var eventId = candidate.EventId;
            var claimed = await op.Db.EventRegistrations
                .Where(r => r.Id == candidate.RegistrationId && (r.ReminderSentFor == null || r.ReminderSentFor != start)
                            && op.Db.CommunityEvents.Any(e => e.Id == eventId && e.StartsAt == start && e.Status == EventStatus.Scheduled))
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.ReminderSentFor, start), op.Cancellation);
            if (claimed != 0)
            {
                claims.Add((candidate.RegistrationId, eventId, start, candidate.ReminderSentFor));
            }
        }

        if (claims.Count == 0)
        {
            return 0;
        }

        // Each claim committed on its own, so an event may have been cancelled or moved after one of them. The reminders are
        // written in one transaction that first holds each event still scheduled at the start read: an update that changes
        // nothing (no version renewed), which keeps the event's row (on SQLite, the database) locked until the commit, so an
        // edit either waits for the reminders or came first, and then its event gets none and its claims are handed back
        // (only where the mark is still this round's: another instance may since have claimed the event's new start).
        var byCandidate = candidates.DistinctBy(c => c.RegistrationId).ToDictionary(c => c.RegistrationId);
        var told = await op.Db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            op.Db.ChangeTracker.Clear();
            await using var transaction = await op.Db.Database.BeginTransactionAsync(ct);
            var written = new List<string>();
            foreach (var held in claims.GroupBy(c => (c.EventId, c.StartsAt)).OrderBy(g => g.Key.EventId))
            {
                var (eventId, start) = held.Key;
                var scheduled = await op.Db.CommunityEvents.Where(e => e.Id == eventId && e.StartsAt == start && e.Status == EventStatus.Scheduled)
                    .ExecuteUpdateAsync(set => set.SetProperty(e => e.Status, e => e.Status), ct);
                foreach (var claim in held)
                {
                    if (scheduled == 0)
                    {
                        await op.Db.EventRegistrations.Where(r => r.Id == claim.RegistrationId && r.ReminderSentFor == start)
                            .ExecuteUpdateAsync(set => set.SetProperty(r => r.ReminderSentFor, claim.Before), ct);
                        continue;
                    }

                    var candidate = byCandidate[claim.RegistrationId];
                    written.AddRange(Add(op, [candidate.Recipient], settings, NotificationKind.EventReminder, null, $"Starts soon: {candidate.Title}",
                        $"The {candidate.Kind.Describe().ToLowerInvariant()} \"{candidate.Title}\" you are registered for starts {EventClock.Pacific(start)} ({EventClock.Duration(candidate.DurationMinutes)}). Its page has the materials and a calendar file.",
                        $"community/events/{candidate.EventId}", null));
                }
            }

            await op.Db.SaveChangesAsync(acceptAllChangesOnSuccess: false, ct);
            await transaction.CommitAsync(ct);
            op.Db.ChangeTracker.AcceptAllChanges();
            return written;
        }, op.Cancellation);

        Tell(told);
        logger.LogInformation("Event reminders: {Count} sent", told.Count);
        return told.Count;
    }

    /// <summary>
    /// Reminds the managers and contributors (accounts not locked) of <paramref name="organizationIds"/> to answer the
    /// survey wave <paramref name="instrumentId"/>; answers how many people were told. Runs after the reminder was recorded
    /// and never fails it.
    /// </summary>
    public async Task<int> SurveyReminderAsync(Guid instrumentId, IReadOnlyList<Guid> organizationIds, string actorId, Uri? portal)
    {
        try
        {
            await using var op = operations.OpenAsSystem();
            var instrument = await op.Db.SurveyInstruments.AsNoTracking().Where(i => i.Id == instrumentId)
                .Select(i => new { i.Id, i.Title, i.ClosesOn }).SingleOrDefaultAsync(op.Cancellation);
            if (instrument is null || organizationIds.Count == 0)
            {
                return 0;
            }

            var rows = await (from m in op.Db.Memberships
                              join u in op.Db.Users on m.UserId equals u.Id
                              join o in op.Db.Organizations on m.OrganizationId equals o.Id
                              where organizationIds.Contains(m.OrganizationId) && (m.Role == OrganizationRole.Manager || m.Role == OrganizationRole.Contributor)
                              select new { Recipient = new Recipient(u.Id, u.Email, u.DisplayName), u.LockoutEnd, Organization = o.Name }).ToListAsync(op.Cancellation);
            var actor = await op.Db.Users.AsNoTracking().Where(u => u.Id == actorId).Select(u => u.DisplayName).FirstOrDefaultAsync(op.Cancellation) ?? "A statewide reviewer";
            var told = new List<string>();
            foreach (var organization in rows.GroupBy(r => r.Organization))
            {
                var recipients = Unlocked(op, organization, x => x.LockoutEnd, x => x.Recipient).Where(r => r.Id != actorId).DistinctBy(r => r.Id).ToList();
                told.AddRange(await AddAsync(op, recipients, NotificationKind.SurveyReminder, null, $"Reminder: {instrument.Title}",
                    $"{actor} reminds {organization.Key} to answer \"{instrument.Title}\" by {instrument.ClosesOn:MMMM d, yyyy}. " +
                    "Managers and contributors can answer; a manager submits the response.",
                    $"community/surveys/{instrument.Id}/answer", portal));
            }

            await op.SaveAsync();
            Tell(told);
            logger.LogInformation("Survey {InstrumentId} reminders: {Organizations} organizations, {Count} people notified", instrumentId, organizationIds.Count, told.Count);
            return told.Count;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Reminders of survey {InstrumentId} were not written", instrumentId);
            return 0;
        }
    }

    private void Tell(IEnumerable<string> told)
    {
        foreach (var recipient in told.Distinct())
        {
            signals.Tell(recipient);
        }

        outbox.Wake();
    }

    /// <summary>The accounts among <paramref name="ids"/> that can sign in: a locked account is told nothing.</summary>
    private static async Task<List<Recipient>> RecipientsAsync(Operation op, IReadOnlyList<string> ids) =>
        Unlocked(op, await op.Db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
            .Select(u => new { Recipient = new Recipient(u.Id, u.Email, u.DisplayName), u.LockoutEnd }).ToListAsync(op.Cancellation), x => x.LockoutEnd, x => x.Recipient);

    // Compared here, not in the query: SQLite cannot compare DateTimeOffset values.
    private static List<Recipient> Unlocked<T>(Operation op, IEnumerable<T> rows, Func<T, DateTimeOffset?> lockoutEnd, Func<T, Recipient> recipient) =>
        rows.Where(r => !(lockoutEnd(r) > new DateTimeOffset(op.Now, TimeSpan.Zero))).Select(recipient).ToList();

    /// <summary>Adds the notification (and its email, or a place in the digest) for each recipient who wants this kind.</summary>
    private async Task<List<string>> AddAsync(Operation op, IReadOnlyList<Recipient> recipients, NotificationKind kind, Guid? assessmentId, string title, string body, string link, Uri? portal)
    {
        var ids = recipients.Select(r => r.Id).ToList();
        var settings = await op.Db.NotificationSettings.AsNoTracking().Where(s => ids.Contains(s.UserId)).ToDictionaryAsync(s => s.UserId, op.Cancellation);
        return Add(op, recipients, settings, kind, assessmentId, title, body, link, portal);
    }

    private List<string> Add(Operation op, IReadOnlyList<Recipient> recipients, IReadOnlyDictionary<string, NotificationSettings> settings, NotificationKind kind,
        Guid? assessmentId, string title, string body, string link, Uri? portal)
    {
        var told = new List<string>();
        foreach (var recipient in recipients)
        {
            var choice = settings.GetValueOrDefault(recipient.Id);
            if (choice is not null && !choice.Wants(kind))
            {
                continue;
            }

            var digest = choice?.DailyDigest == true;
            op.Db.Notifications.Add(new Notification(recipient.Id, kind, assessmentId, title, body, link, op.Now, digest ? NotificationEmail.AwaitingDigest : NotificationEmail.Queued));
            if (!digest && !string.IsNullOrWhiteSpace(recipient.Email))
            {
                op.Db.OutgoingEmails.Add(NotificationEmails.ForEvent(recipient.Email, recipient.Name, title, body, NotificationEmails.Absolute(email.Value, portal, link), op.Now));
            }

            told.Add(recipient.Id);
        }

        return told;
    }

    /// <summary>The feedback of the returned round: the general part first, then each element's, line breaks kept.</summary>
    private static async Task<string> FeedbackAsync(Operation op, Guid assessmentId, int round)
    {
        var items = await (from f in op.Db.Feedback
                           join s in op.Db.Submissions on f.SubmissionId equals s.Id
                           join e in op.Db.Elements on f.ElementId equals e.Id into elements
                           from e in elements.DefaultIfEmpty()
                           where s.AssessmentId == assessmentId && s.Round == round && s.Decision == Decision.Returned
                           select new { Element = e == null ? null : e.Code + " " + e.Title, f.Text, f.CreatedAt })
            .AsNoTracking().ToListAsync(op.Cancellation);
        var text = new StringBuilder("Feedback:\n");
        foreach (var item in items.OrderBy(i => i.Element is not null).ThenBy(i => i.Element, StringComparer.Ordinal).ThenBy(i => i.CreatedAt))
        {
            if (string.IsNullOrWhiteSpace(item.Text))
            {
                continue;
            }

            text.Append(item.Element is null ? "\n" : $"\n{item.Element}:\n").Append(item.Text.Trim()).Append('\n');
        }

        return text.ToString().TrimEnd();
    }
}
