using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Assessments;
using PalliativeToolkit.Web.Features.Common;
using PalliativeToolkit.Web.Features.Notifications;

namespace PalliativeToolkit.Web.Features.Feedback;

/// <summary>
/// Feedback threads between the statewide reviewers and an organization, one element of a submitted assessment each. A
/// reviewer opens one at any time while the assessment has a round that stands; the organization's managers and
/// contributors answer (viewers read); a reviewer or a manager of the organization resolves or reopens it. The other
/// side is notified of each change (<see cref="Notifier"/>), and open pages hear it (<see cref="IFeedbackSignals"/>).
/// The database shows threads only to the organization's members and the reviewers (ToolkitDbContext.Access.cs).
/// </summary>
public sealed class FeedbackThreadService(
    OperationRunner operations, FrameworkCatalog catalog, Notifier notifier, IFeedbackSignals signals, ILogger<FeedbackThreadService> logger)
{
    private const string AssessmentNotFound = "That assessment does not exist or you do not have access to it.";
    private const string ThreadNotFound = "That feedback thread does not exist or you do not have access to it.";

    /// <summary>How often a reply is tried again when another change to the thread was saved at the same moment.</summary>
    internal const int ReplyAttempts = 8;

    private readonly OpenThreadValidator _openValidator = new();
    private readonly ReplyValidator _replyValidator = new();

    /// <summary>The side the viewer writes for in the organization's threads, or null when they only read (or not even that).</summary>
    private static ThreadSide? SideOf(Viewer viewer, Guid organizationId) =>
        viewer.RoleIn(organizationId) is not null
            ? viewer.May(OrganizationPermission.ReplyToFeedback, organizationId) ? ThreadSide.Organization : null
            : viewer.May(Permission.ReviewSubmissions) ? ThreadSide.Reviewer : null;

    /// <summary>Reviewers resolve and reopen any thread; on the organization's side, its managers.</summary>
    private static bool MayResolve(Viewer viewer, Guid organizationId) =>
        viewer.RoleIn(organizationId) is not null
            ? viewer.May(OrganizationPermission.ResolveFeedback, organizationId)
            : viewer.May(Permission.ReviewSubmissions);

    /// <summary>Whether the viewer reads an organization's threads: its members and the statewide reviewers (and administrators).</summary>
    private static bool Reads(Viewer viewer, Guid organizationId) => viewer.RoleIn(organizationId) is not null || viewer.SeesSubmittedWork;

    /// <summary>The threads of an assessment, every element's, open and resolved, with their messages.</summary>
    public Task<Outcome<AssessmentThreads>> ForAssessmentAsync(ClaimsPrincipal principal, Guid assessmentId, CancellationToken cancellationToken = default) =>
        operations.RunAsync<AssessmentThreads>(principal, async op =>
        {
            var header = await op.Db.Assessments.AsNoTracking().Where(a => a.Id == assessmentId)
                .Select(a => new { a.Id, a.OrganizationId, Organization = a.Organization!.Name, a.FrameworkVersionId })
                .SingleOrDefaultAsync(op.Cancellation);
            if (header is null || !Reads(op.Viewer, header.OrganizationId))
            {
                // An organization the assessment was shared with reads its rounds, never the conversation about them.
                return Failure.Missing(AssessmentNotFound);
            }

            var framework = await catalog.GetAsync(op, header.FrameworkVersionId);
            var threads = await op.Db.FeedbackThreads.AsNoTracking().Include(t => t.Messages)
                .Where(t => t.AssessmentId == assessmentId)
                .OrderBy(t => t.OpenedAt)
                .ToListAsync(op.Cancellation);
            var names = await NamesAsync(op, threads.SelectMany(t => t.Messages.Select(m => m.AuthorId)).Concat(threads.Where(t => t.ResolvedBy != null).Select(t => t.ResolvedBy!)));
            var side = SideOf(op.Viewer, header.OrganizationId);
            var mayResolve = MayResolve(op.Viewer, header.OrganizationId);
            var standing = await op.Db.Submissions.AnyAsync(s => s.AssessmentId == assessmentId && s.Decision != Decision.Withdrawn, op.Cancellation);
            var views = threads.Select(t => new ThreadView(
                    t.Id, t.Version, t.ElementId, framework.ElementsById.TryGetValue(t.ElementId, out var element) ? element.Code : "?", t.Round, t.Status, t.OpenedAt,
                    t.ResolvedBy is null ? null : names.GetValueOrDefault(t.ResolvedBy, "Someone"), t.ResolvedAt,
                    t.AwaitedSide, t.AwaitedSide == ThreadSide.Reviewer ? "the statewide reviewers" : header.Organization,
                    t.Messages.OrderBy(m => m.CreatedAt).Select(m => new ThreadMessageView(m.Id, names.GetValueOrDefault(m.AuthorId, "Someone"), m.Side, SideName(m.Side, header.Organization), m.CreatedAt, m.Text)).ToList(),
                    CanReply: t.IsOpen && side is not null,
                    CanResolve: mayResolve))
                .ToList();
            return new AssessmentThreads(assessmentId, views, CanOpen: standing && side == ThreadSide.Reviewer);
        }, cancellationToken);

    /// <summary>A reviewer opens a thread on an element of a submitted assessment; the organization's managers and contributors are told.</summary>
    public Task<Outcome<ThreadChange>> OpenAsync(ClaimsPrincipal principal, OpenThreadCommand command, Uri? portal = null, CancellationToken cancellationToken = default) =>
        ThenTellAsync(ThreadEvent.Opened, principal, portal, operations.RunAsync<OpenThreadCommand, ThreadChange>(principal, command, _openValidator, async op =>
        {
            op.Demand(Permission.ReviewSubmissions, "Only a statewide reviewer can open a feedback thread.");
            var assessment = await op.Db.Assessments.AsNoTracking().Where(a => a.Id == command.AssessmentId)
                .Select(a => new { a.Id, a.OrganizationId }).SingleOrDefaultAsync(op.Cancellation);
            if (assessment is null)
            {
                return Failure.Missing(AssessmentNotFound);
            }

            if (SideOf(op.Viewer, assessment.OrganizationId) != ThreadSide.Reviewer)
            {
                return Failure.Refuse("You belong to this organization: a reviewer from outside it opens its feedback threads.");
            }

            var standing = await op.Db.Submissions.AsNoTracking().Include(s => s.Elements)
                .Where(s => s.AssessmentId == assessment.Id && s.Decision != Decision.Withdrawn)
                .OrderByDescending(s => s.Round).FirstOrDefaultAsync(op.Cancellation);
            if (standing is null)
            {
                return Failure.Refuse("This assessment has no submitted round that stands: feedback threads are opened on a submitted assessment.");
            }

            var thread = FeedbackThread.Start(standing, command.ElementId, command.Text, op.Viewer.UserId, op.Now);
            op.Db.FeedbackThreads.Add(thread);
            await op.SaveAsync();
            logger.LogInformation("Feedback thread {ThreadId} opened on assessment {AssessmentId} (round {Round})", thread.Id, assessment.Id, standing.Round);
            return new ThreadChange(thread.Id, thread.Version, thread.OrganizationId, ThreadSide.Reviewer);
        }, cancellationToken));

    /// <summary>
    /// Adds a message to an open thread. Messages are only added: when another change to the thread was saved at the same
    /// moment (its version moved), the reply is made again on the thread as it is now, so no message is ever lost or
    /// overwritten, and a thread resolved meanwhile refuses it.
    /// </summary>
    public async Task<Outcome<ThreadChange>> ReplyAsync(ClaimsPrincipal principal, ReplyCommand command, Uri? portal = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        Outcome<ThreadChange> outcome;
        var attempt = 0;
        do
        {
            attempt++;
            outcome = await operations.RunAsync<ReplyCommand, ThreadChange>(principal, command, _replyValidator, op => ReplyOnceAsync(op, command), cancellationToken);
        }
        while (outcome.Failure is Failure.Conflict && attempt < ReplyAttempts);

        return await ThenTellAsync(ThreadEvent.Replied, principal, portal, Task.FromResult(outcome));
    }

    private async Task<Outcome<ThreadChange>> ReplyOnceAsync(Operation op, ReplyCommand command)
    {
        var thread = await op.Db.FeedbackThreads.SingleOrDefaultAsync(t => t.Id == command.ThreadId, op.Cancellation);
        if (thread is null || !Reads(op.Viewer, thread.OrganizationId))
        {
            return Failure.Missing(ThreadNotFound);
        }

        if (SideOf(op.Viewer, thread.OrganizationId) is not { } side)
        {
            return Failure.Refuse(op.Viewer.RoleIn(thread.OrganizationId) is not null
                ? "You can read this thread but not write in it: a manager or contributor of your organization answers the reviewers."
                : "Only a statewide reviewer or a member of the organization can write in this thread.");
        }

        if (!thread.IsOpen)
        {
            var resolver = (await NamesAsync(op, [thread.ResolvedBy ?? string.Empty])).GetValueOrDefault(thread.ResolvedBy ?? string.Empty, "someone");
            return Failure.Refuse($"This thread was resolved by {resolver} on {CaliforniaTime.Describe(thread.ResolvedAt ?? op.Now)}: reopen it to reply.");
        }

        thread.Reply(side, command.Text, op.Viewer.UserId, op.Now);
        await op.SaveAsync();
        return new ThreadChange(thread.Id, thread.Version, thread.OrganizationId, side);
    }

    /// <summary>Resolves a thread as the page showed it (<paramref name="expectedVersion"/>): a message that arrived since is read first.</summary>
    public Task<Outcome<ThreadChange>> ResolveAsync(ClaimsPrincipal principal, Guid threadId, Guid expectedVersion, Uri? portal = null, CancellationToken cancellationToken = default) =>
        ThenTellAsync(ThreadEvent.Resolved, principal, portal, ChangeStatusAsync(principal, threadId, expectedVersion, resolve: true, cancellationToken));

    /// <summary>Reopens a resolved thread, as the page showed it.</summary>
    public Task<Outcome<ThreadChange>> ReopenAsync(ClaimsPrincipal principal, Guid threadId, Guid expectedVersion, Uri? portal = null, CancellationToken cancellationToken = default) =>
        ThenTellAsync(ThreadEvent.Reopened, principal, portal, ChangeStatusAsync(principal, threadId, expectedVersion, resolve: false, cancellationToken));

    private Task<Outcome<ThreadChange>> ChangeStatusAsync(ClaimsPrincipal principal, Guid threadId, Guid expectedVersion, bool resolve, CancellationToken cancellationToken) =>
        operations.RunAsync<ThreadChange>(principal, async op =>
        {
            var thread = await op.Db.FeedbackThreads.SingleOrDefaultAsync(t => t.Id == threadId, op.Cancellation);
            if (thread is null || !Reads(op.Viewer, thread.OrganizationId))
            {
                return Failure.Missing(ThreadNotFound);
            }

            if (!MayResolve(op.Viewer, thread.OrganizationId))
            {
                return Failure.Refuse($"Only a statewide reviewer or a manager of the organization can {(resolve ? "resolve" : "reopen")} a feedback thread.");
            }

            op.ExpectVersion(thread, expectedVersion);
            if (resolve)
            {
                thread.Resolve(op.Viewer.UserId, op.Now);
            }
            else
            {
                thread.Reopen();
            }

            await op.SaveAsync();
            logger.LogInformation("Feedback thread {ThreadId} {Status}", thread.Id, thread.Status);
            return new ThreadChange(thread.Id, thread.Version, thread.OrganizationId, op.Viewer.RoleIn(thread.OrganizationId) is null ? ThreadSide.Reviewer : ThreadSide.Organization);
        }, cancellationToken);

    /// <summary>
    /// The threads the user sees, open ones by default: their organizations' (members), or every organization's
    /// (reviewers, filterable by organization). Those waiting on the user's side come first, the latest activity first.
    /// </summary>
    public Task<Outcome<ThreadList>> ListAsync(ClaimsPrincipal principal, ThreadListQuery query, CancellationToken cancellationToken = default) =>
        operations.RunAsync<ThreadList>(principal, async op =>
        {
            ArgumentNullException.ThrowIfNull(query);
            if (!op.Viewer.IsAuthenticated)
            {
                return Failure.Refuse("Sign in to see feedback threads.");
            }

            if (!Enum.IsDefined(query.Status))
            {
                return Failure.Refuse("Choose open or resolved threads.");
            }

            var reviewer = op.Viewer.SeesSubmittedWork;
            var own = op.Viewer.OrganizationIds;
            var visible = from t in op.Db.FeedbackThreads
                          join o in op.Db.Organizations on t.OrganizationId equals o.Id
                          where t.Status == query.Status && (reviewer || own.Contains(t.OrganizationId))
                          select new { Thread = t, Organization = o.Name };
            var organizations = reviewer
                ? (await visible.Select(v => new { v.Thread.OrganizationId, v.Organization }).Distinct().ToListAsync(op.Cancellation))
                    .OrderBy(o => o.Organization, StringComparer.Ordinal).Select(o => (o.OrganizationId, o.Organization)).ToList()
                : [];
            if (query.OrganizationId is { } organizationId)
            {
                visible = visible.Where(v => v.Thread.OrganizationId == organizationId);
            }

            var rows = await (from v in visible
                              join a in op.Db.Assessments on v.Thread.AssessmentId equals a.Id
                              join e in op.Db.Elements on v.Thread.ElementId equals e.Id
                              select new
                              {
                                  v.Thread.Id,
                                  v.Thread.AssessmentId,
                                  v.Thread.OrganizationId,
                                  v.Organization,
                                  a.Cycle,
                                  e.Code,
                                  e.Title,
                                  v.Thread.LastSide,
                                  v.Thread.LastMessageAt,
                              })
                .AsNoTracking().ToListAsync(op.Cancellation);
            var ids = rows.Select(r => r.Id).ToList();
            var messages = (await op.Db.FeedbackMessages.AsNoTracking().Where(m => ids.Contains(m.ThreadId))
                    .Select(m => new { m.ThreadId, m.AuthorId, m.Side, m.CreatedAt, m.Text })
                    .ToListAsync(op.Cancellation))
                .ToLookup(m => m.ThreadId);
            var names = await NamesAsync(op, messages.SelectMany(g => g.Select(m => m.AuthorId)));
            var list = rows.Select(r =>
                {
                    var last = messages[r.Id].OrderBy(m => m.CreatedAt).Last();
                    var awaited = r.LastSide == ThreadSide.Reviewer ? ThreadSide.Organization : ThreadSide.Reviewer;
                    var awaitsYou = query.Status == ThreadStatus.Open && SideOf(op.Viewer, r.OrganizationId) == awaited;
                    return new ThreadRow(r.Id, r.AssessmentId, r.OrganizationId, r.Organization, r.Cycle, r.Code, r.Title,
                        names.GetValueOrDefault(last.AuthorId, "Someone"), last.Side, last.CreatedAt, last.Text, awaited, awaitsYou, messages[r.Id].Count());
                })
                .OrderByDescending(r => r.AwaitsYou).ThenByDescending(r => r.LastAt).ThenBy(r => r.ThreadId)
                .ToList();
            return new ThreadList(list, reviewer, organizations, own);
        }, cancellationToken);

    /// <summary>The side as the thread names it: the organization by name, or the statewide reviewers.</summary>
    public static string SideName(ThreadSide side, string organization) => side == ThreadSide.Reviewer ? "Statewide reviewer" : organization;

    private static async Task<Dictionary<string, string>> NamesAsync(Operation op, IEnumerable<string> userIds)
    {
        var ids = userIds.Where(id => !string.IsNullOrEmpty(id)).Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var users = await op.Db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToListAsync(op.Cancellation);
        return users.ToDictionary(u => u.Id, u => string.IsNullOrWhiteSpace(u.DisplayName) ? "A colleague" : u.DisplayName);
    }

    /// <summary>Once a change is stored: the other side is notified, and the pages showing the organization's threads hear it.</summary>
    private async Task<Outcome<ThreadChange>> ThenTellAsync(ThreadEvent happened, ClaimsPrincipal principal, Uri? portal, Task<Outcome<ThreadChange>> change)
    {
        var outcome = await change;
        if (outcome.Succeeded)
        {
            signals.Tell(outcome.Value.OrganizationId);
            await notifier.FeedbackThreadAsync(outcome.Value.ThreadId, happened, outcome.Value.By, principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? string.Empty, portal);
        }

        return outcome;
    }
}
