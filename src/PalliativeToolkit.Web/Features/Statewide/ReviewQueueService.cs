using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Web.Features.Statewide;

/// <summary>Which rounds the queue lists: those awaiting review (every cycle), or those returned or accepted (in a cycle, or all).</summary>
public sealed record ReviewQueueQuery(Decision Status = Decision.Pending, string? Cycle = null, OrganizationKind? Kind = null);

/// <summary>A submitted round in the queue, with how long it has waited (or when it was decided, and by whom).</summary>
public sealed record QueueRow(
    Guid AssessmentId, string Organization, OrganizationKind Kind, string Cycle, int Round, DateTime SubmittedAt, Decision Decision, DateTime? DecidedAt,
    string? DecidedBy, TimeSpan Waited)
{
    /// <summary>The wait in words: "today", "1 day", "12 days".</summary>
    public string WaitedText => Waited.TotalDays < 1 ? "less than a day" : (int)Waited.TotalDays == 1 ? "1 day" : $"{(int)Waited.TotalDays} days";
}

/// <summary>The queue's rows and the cycles that have submissions (for the cycle filter).</summary>
public sealed record ReviewQueue(IReadOnlyList<QueueRow> Rows, IReadOnlyList<string> Cycles, int Awaiting);

/// <summary>
/// The statewide reviewers' queue: every submitted round of plans and providers awaiting a decision, oldest first, with
/// how long it has waited, whatever its cycle (an older cycle never drops out of view); and the rounds returned or
/// accepted, by cycle. A fixed number of database commands.
/// </summary>
public sealed class ReviewQueueService(OperationRunner operations, TimeProvider time)
{
    public Task<Outcome<ReviewQueue>> GetAsync(ClaimsPrincipal principal, ReviewQueueQuery query, CancellationToken cancellationToken = default) =>
        operations.RunAsync<ReviewQueue>(principal, async op =>
        {
            ArgumentNullException.ThrowIfNull(query);
            op.Demand(Permission.ViewStatewide, "Only statewide reviewers and administrators see the review queue.");
            if (query.Status is Decision.Withdrawn || !Enum.IsDefined(query.Status))
            {
                return Failure.Refuse("Choose rounds awaiting review, returned or accepted.");
            }

            var db = op.Db;
            var cycles = (await Submitted(db).Select(x => x.Cycle).Distinct().ToListAsync(op.Cancellation))
                .OrderByDescending(ReportingCycle.Of).ToList();
            var awaiting = await Submitted(db).CountAsync(x => x.Decision == Decision.Pending && x.Round == x.CurrentRound, op.Cancellation);
            var rows = await Wanted(db, query).AsNoTracking().ToListAsync(op.Cancellation);
            var now = time.GetUtcNow().UtcDateTime;
            var result = rows.Select(r => r.ToRow(now));
            result = query.Status == Decision.Pending
                ? result.OrderBy(r => r.SubmittedAt)
                : result.OrderByDescending(r => r.DecidedAt).ThenBy(r => r.Organization, StringComparer.Ordinal);
            return new ReviewQueue(result.ToList(), cycles, awaiting);
        }, cancellationToken);

    /// <summary>The rounds the query asks for, oldest first (awaiting review) or last decided first, with the decider's name: one command, streamed or listed.</summary>
    internal static IQueryable<QueueRecord> Wanted(ToolkitDbContext db, ReviewQueueQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var wanted = Submitted(db).Where(x => x.Decision == query.Status);
        if (query.Status == Decision.Pending)
        {
            wanted = wanted.Where(x => x.Round == x.CurrentRound);
        }

        if (!string.IsNullOrWhiteSpace(query.Cycle))
        {
            wanted = wanted.Where(x => x.Cycle == query.Cycle);
        }

        if (query.Kind is { } kind)
        {
            wanted = wanted.Where(x => x.Kind == kind);
        }

        wanted = query.Status == Decision.Pending
            ? wanted.OrderBy(x => x.SubmittedAt)
            : wanted.OrderByDescending(x => x.DecidedAt).ThenBy(x => x.Organization);
        return wanted.Select(x => new QueueRecord(x.AssessmentId, x.Organization, x.Kind, x.Cycle, x.Round, x.SubmittedAt, x.Decision, x.DecidedAt, x.DecidedBy,
            db.Users.Where(u => u.Id == x.DecidedBy).Select(u => u.DisplayName).FirstOrDefault()));
    }

    /// <summary>Whether any plan or provider has submitted a round for the cycle (the queue's list of cycles has it).</summary>
    internal static Task<bool> HasCycleAsync(Operation op, string cycle) => Submitted(op.Db).AnyAsync(x => x.Cycle == cycle, op.Cancellation);

    /// <summary>Every submitted round of plans and providers, with its assessment's current round.</summary>
    private static IQueryable<SubmittedRound> Submitted(ToolkitDbContext db) =>
        from s in db.Submissions
        join a in db.Assessments on s.AssessmentId equals a.Id
        join o in db.Organizations on s.OrganizationId equals o.Id
        where o.Kind == OrganizationKind.ManagedCarePlan || o.Kind == OrganizationKind.PalliativeCareProvider
        select new SubmittedRound
        {
            AssessmentId = s.AssessmentId,
            Organization = o.Name,
            Kind = o.Kind,
            Cycle = a.Cycle,
            Round = s.Round,
            CurrentRound = a.Round,
            SubmittedAt = s.SubmittedAt,
            Decision = s.Decision,
            DecidedAt = s.DecidedAt,
            DecidedBy = s.DecidedBy,
        };

    private sealed class SubmittedRound
    {
        public Guid AssessmentId { get; init; }

        public string Organization { get; init; } = string.Empty;

        public OrganizationKind Kind { get; init; }

        public string Cycle { get; init; } = string.Empty;

        public int Round { get; init; }

        public int CurrentRound { get; init; }

        public DateTime SubmittedAt { get; init; }

        public Decision Decision { get; init; }

        public DateTime? DecidedAt { get; init; }

        public string? DecidedBy { get; init; }
    }
}

/// <summary>A round of the queue as read, before its wait is worked out.</summary>
internal sealed record QueueRecord(
    Guid AssessmentId, string Organization, OrganizationKind Kind, string Cycle, int Round, DateTime SubmittedAt, Decision Decision, DateTime? DecidedAt, string? DecidedBy,
    string? DecidedByName)
{
    /// <summary>The row as the queue shows it at <paramref name="now"/> (UTC): a decider who has since left is "a reviewer".</summary>
    public QueueRow ToRow(DateTime now) =>
        new(AssessmentId, Organization, Kind, Cycle, Round, SubmittedAt, Decision, DecidedAt, DecidedBy is null ? null : DecidedByName ?? "a reviewer", (DecidedAt ?? now) - SubmittedAt);
}
