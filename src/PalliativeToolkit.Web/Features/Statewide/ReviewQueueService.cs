using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Operations;

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
            var submitted = from s in db.Submissions
                            join a in db.Assessments on s.AssessmentId equals a.Id
                            join o in db.Organizations on s.OrganizationId equals o.Id
                            where o.Kind == OrganizationKind.ManagedCarePlan || o.Kind == OrganizationKind.PalliativeCareProvider
                            select new { s.AssessmentId, Organization = o.Name, o.Kind, a.Cycle, s.Round, CurrentRound = a.Round, s.SubmittedAt, s.Decision, s.DecidedAt, s.DecidedBy };
            var cycles = (await submitted.Select(s => s.Cycle).Distinct().ToListAsync(op.Cancellation))
                .OrderByDescending(ReportingCycle.Of).ToList();
            var awaiting = await submitted.CountAsync(s => s.Decision == Decision.Pending && s.Round == s.CurrentRound, op.Cancellation);

            var wanted = submitted.Where(s => s.Decision == query.Status);
            if (query.Status == Decision.Pending)
            {
                wanted = wanted.Where(s => s.Round == s.CurrentRound);
            }

            if (!string.IsNullOrWhiteSpace(query.Cycle))
            {
                wanted = wanted.Where(s => s.Cycle == query.Cycle);
            }

            if (query.Kind is { } kind)
            {
                wanted = wanted.Where(s => s.Kind == kind);
            }

            var rows = await wanted.AsNoTracking().ToListAsync(op.Cancellation);
            var deciders = rows.Where(r => r.DecidedBy != null).Select(r => r.DecidedBy!).Distinct().ToList();
            var names = await db.Users.AsNoTracking().Where(u => deciders.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, op.Cancellation);
            var now = time.GetUtcNow().UtcDateTime;
            var result = rows.Select(r => new QueueRow(r.AssessmentId, r.Organization, r.Kind, r.Cycle, r.Round, r.SubmittedAt, r.Decision, r.DecidedAt,
                    r.DecidedBy is null ? null : names.GetValueOrDefault(r.DecidedBy, "a reviewer"), (r.DecidedAt ?? now) - r.SubmittedAt));
            result = query.Status == Decision.Pending
                ? result.OrderBy(r => r.SubmittedAt)
                : result.OrderByDescending(r => r.DecidedAt).ThenBy(r => r.Organization, StringComparer.Ordinal);
            return new ReviewQueue(result.ToList(), cycles, awaiting);
        }, cancellationToken);
}
