using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Infrastructure.Community;

/// <summary>How a report's row found its organization.</summary>
public enum RowMatch
{
    /// <summary>The address is a portal user's, and that user belongs to one organization (of those the event allows).</summary>
    Person,

    /// <summary>The address's domain is that of one organization's people, and of no other's.</summary>
    Domain,

    /// <summary>Nothing decides the organization: a reviewer chooses it, or skips the row.</summary>
    Unmatched,

    /// <summary>The address is already recorded for the event: the row adds nothing.</summary>
    AlreadyPresent,
}

/// <summary>A plan or provider attendance can be recorded for.</summary>
public sealed record AttendeeOrganization(Guid Id, string Name, OrganizationKind Kind);

/// <summary>A portal user of an organization, as the person picker shows them.</summary>
public sealed record AttendeePerson(string UserId, string Name, string Email, Guid OrganizationId);

/// <summary>
/// A row of the report and what the portal would do with it: the organization (and user) it matched, or why it did not
/// (<see cref="Reason"/>); the organizations a reviewer may choose from for it (the user's own when the address is a
/// user's in several organizations, otherwise every one the event allows).
/// </summary>
public sealed record PlannedRow(ReportRow Row, RowMatch Match, Guid? OrganizationId, string? UserId, string? Reason, IReadOnlyList<Guid> Candidates);

/// <summary>
/// What a reviewer decided for a row: an organization and, for the person, one of three: no choice made (the row's
/// matched user is kept if they belong to the organization), one of its people (<see cref="UserId"/>), or explicitly
/// nobody (<see cref="WithoutPerson"/>: "not a portal user", the report's name kept even when the address is a user's);
/// or skip.
/// </summary>
public sealed record RowDecision(Guid? OrganizationId, string? UserId = null)
{
    public static RowDecision Skip { get; } = new(null, null);

    /// <summary>The organization, and explicitly none of its people.</summary>
    public static RowDecision WithoutPerson(Guid organizationId) => new(organizationId) { NoPerson = true };

    /// <summary>The reviewer chose "not a portal user": no user is linked, whatever the row matched.</summary>
    public bool NoPerson { get; private init; }

    public bool Skips => OrganizationId is null;
}

/// <summary>An earlier import of the same file for the same event.</summary>
public sealed record EarlierImport(DateTime ImportedAt, string FileName, int Added);

/// <summary>A report read against the portal: a plan for every row, nothing saved.</summary>
public sealed record ImportPlan(CommunityEvent Event, AttendeeReport Report, IReadOnlyList<PlannedRow> Rows, IReadOnlyList<AttendeeOrganization> Organizations,
    IReadOnlyList<AttendeePerson> People, IReadOnlyList<EarlierImport> EarlierImports);

/// <summary>A skipped row or line of the file, and why.</summary>
public sealed record SkippedRow(int Line, string Text, string Reason);

/// <summary>What an import did.</summary>
public sealed record ImportResult(Guid ImportId, int Added, int Matched, int Resolved, int AlreadyPresent, IReadOnlyList<SkippedRow> Skipped);

/// <summary>A decision that can't be carried out, for the row of <see cref="Line"/>.</summary>
public sealed record DecisionProblem(int Line, string Message);

/// <summary>
/// Matches an attendee report to the portal's organizations and people, and saves it. A row's address is looked up among
/// the portal's users (a user in one plan or provider is matched to it); otherwise its domain among the domains of every
/// organization's people (a domain of one organization only; a domain two organizations share decides nothing, and the
/// public mail services never do). What matches nothing waits for a reviewer's decision, and nothing is saved before the
/// reviewer confirms. Rows whose address is already recorded for the event add nothing, so the same file imported twice
/// adds nobody twice; the file's hash is kept, and an earlier import of the same file is shown before saving.
/// Memberships are the reviewers' to read here (they match people to organizations): the access filters, which show a
/// reviewer no organization's people, are set aside for this one purpose, and the callers demand the reviewer's permission.
/// </summary>
public static class AttendanceImporter
{
    /// <summary>Mail services anyone can use: their domain says nothing about an organization.</summary>
    public static readonly IReadOnlySet<string> PublicDomains = new HashSet<string>(StringComparer.Ordinal)
    {
        "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "icloud.com", "me.com", "mac.com",
        "aol.com", "comcast.net", "att.net", "sbcglobal.net", "verizon.net", "protonmail.com", "proton.me", "gmx.com", "mail.com", "zoho.com", "fastmail.com",
    };

    /// <summary>The organizations attendance of <paramref name="communityEvent"/> can be recorded for: its plan, or every plan and provider.</summary>
    public static async Task<List<AttendeeOrganization>> OrganizationsForAsync(ToolkitDbContext db, CommunityEvent communityEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(communityEvent);
        var plan = communityEvent.PlanOrganizationId;
        return await db.Organizations.AsNoTracking()
            .Where(o => o.Kind != OrganizationKind.StatewideSupport && (plan == null || o.Id == plan))
            .OrderBy(o => o.Name).Select(o => new AttendeeOrganization(o.Id, o.Name, o.Kind)).ToListAsync(cancellationToken);
    }

    /// <summary>The people of <paramref name="organizationIds"/> (portal users with an address), by name.</summary>
    public static async Task<List<AttendeePerson>> PeopleOfAsync(ToolkitDbContext db, IReadOnlyCollection<Guid> organizationIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var ids = organizationIds.ToList();
        return await (from m in db.Memberships.IgnoreQueryFilters().AsNoTracking()
                      join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                      where ids.Contains(m.OrganizationId) && u.Email != null
                      orderby u.DisplayName
                      select new AttendeePerson(u.Id, u.DisplayName, u.Email!, m.OrganizationId)).ToListAsync(cancellationToken);
    }

    /// <summary>Reads <paramref name="report"/> against the portal for <paramref name="communityEvent"/>: nothing is saved.</summary>
    public static async Task<ImportPlan> PlanAsync(ToolkitDbContext db, CommunityEvent communityEvent, AttendeeReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(communityEvent);
        ArgumentNullException.ThrowIfNull(report);
        var organizations = await OrganizationsForAsync(db, communityEvent, cancellationToken);
        var allowed = organizations.Select(o => o.Id).ToHashSet();
        var eventId = communityEvent.Id;
        var present = (await db.Attendances.AsNoTracking().Where(a => a.EventId == eventId).Select(a => a.Email).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);

        // The report's addresses that are portal users', with the plans and providers they belong to.
        var normalized = report.Rows.Select(r => r.Email.ToUpperInvariant()).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail != null && normalized.Contains(u.NormalizedEmail))
            .Select(u => new { u.Id, u.NormalizedEmail }).ToListAsync(cancellationToken);
        var userIds = users.Select(u => u.Id).ToList();
        var memberships = await db.Memberships.IgnoreQueryFilters().AsNoTracking().Where(m => userIds.Contains(m.UserId))
            .Select(m => new { m.UserId, m.OrganizationId }).ToListAsync(cancellationToken);
        var userByEmail = users.GroupBy(u => u.NormalizedEmail!.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);

        // Every organization's domains, from its people's addresses.
        var addresses = await (from m in db.Memberships.IgnoreQueryFilters().AsNoTracking()
                               join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                               where u.Email != null
                               select new { m.OrganizationId, u.Email }).ToListAsync(cancellationToken);
        var domains = addresses.Where(a => AttendeeEmail.Normalize(a.Email) is not null)
            .GroupBy(a => AttendeeEmail.DomainOf(AttendeeEmail.Normalize(a.Email)!), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(a => a.OrganizationId).Where(allowed.Contains).Distinct().ToList(), StringComparer.Ordinal);
        var names = organizations.ToDictionary(o => o.Id, o => o.Name);
        var everyone = organizations.Select(o => o.Id).ToList();

        PlannedRow Plan(ReportRow row)
        {
            if (present.Contains(row.Email))
            {
                return new PlannedRow(row, RowMatch.AlreadyPresent, null, null, "already recorded for this event", []);
            }

            var domain = AttendeeEmail.DomainOf(row.Email);
            var domainOrganizations = domains.GetValueOrDefault(domain) ?? [];
            string? userId = null;
            if (userByEmail.TryGetValue(row.Email, out var user))
            {
                userId = user;
                var theirs = memberships.Where(m => m.UserId == user && allowed.Contains(m.OrganizationId)).Select(m => m.OrganizationId).Distinct().ToList();
                if (theirs.Count == 1)
                {
                    return new PlannedRow(row, RowMatch.Person, theirs[0], user, null, theirs);
                }

                if (theirs.Count > 1)
                {
                    var byDomain = theirs.Intersect(domainOrganizations).ToList();
                    return byDomain.Count == 1
                        ? new PlannedRow(row, RowMatch.Person, byDomain[0], user, null, theirs)
                        : new PlannedRow(row, RowMatch.Unmatched, null, user, $"a portal user of {theirs.Count} organizations: choose which one they attended for", theirs);
                }
            }

            if (PublicDomains.Contains(domain))
            {
                return new PlannedRow(row, RowMatch.Unmatched, null, userId, $"{domain} is a public mail service: it does not say which organization", everyone);
            }

            return domainOrganizations.Count switch
            {
                1 => new PlannedRow(row, RowMatch.Domain, domainOrganizations[0], userId, null, everyone),
                0 when communityEvent.PlanOrganizationId is { } plan && domains.ContainsKey(domain) && domains[domain].Count == 0
                    => new PlannedRow(row, RowMatch.Unmatched, null, userId, $"{domain} is not {names.GetValueOrDefault(plan, "the plan")}'s, the only plan this call was with", everyone),
                0 => new PlannedRow(row, RowMatch.Unmatched, null, userId, $"no organization's people have addresses at {domain}", everyone),
                _ => new PlannedRow(row, RowMatch.Unmatched, null, userId,
                    $"{domain} is shared by {string.Join(" and ", domainOrganizations.Select(o => names.GetValueOrDefault(o, "another organization")).Order(StringComparer.CurrentCulture))}", domainOrganizations),
            };
        }

        var planned = report.Rows.Select(Plan).ToList();
        var people = await PeopleOfAsync(db, everyone, cancellationToken);
        var earlier = await db.AttendanceImports.AsNoTracking().Where(i => i.EventId == eventId && i.FileHash == report.Hash).OrderBy(i => i.ImportedAt)
            .Select(i => new EarlierImport(i.ImportedAt, i.FileName, i.Added)).ToListAsync(cancellationToken);
        return new ImportPlan(communityEvent, report, planned, organizations, people, earlier);
    }

    /// <summary>Problems with the reviewer's decisions (an organization the event doesn't allow, a person not of it), by row.</summary>
    public static IReadOnlyList<DecisionProblem> Check(ImportPlan plan, IReadOnlyDictionary<string, RowDecision> decisions)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(decisions);
        var problems = new List<DecisionProblem>();
        var allowed = plan.Organizations.Select(o => o.Id).ToHashSet();
        foreach (var row in plan.Rows)
        {
            if (!decisions.TryGetValue(row.Row.Email, out var decision) || decision.Skips || row.Match == RowMatch.AlreadyPresent)
            {
                continue;
            }

            if (!allowed.Contains(decision.OrganizationId!.Value))
            {
                problems.Add(new DecisionProblem(row.Row.Line, plan.Event.PlanOrganizationId is null
                    ? "Choose a plan or provider from the list."
                    : "This support call was private to one plan: choose that plan, or skip the row."));
            }
            else if (decision.UserId is { Length: > 0 } user && !plan.People.Any(p => p.UserId == user && p.OrganizationId == decision.OrganizationId))
            {
                problems.Add(new DecisionProblem(row.Row.Line, "Choose a person of the chosen organization, or nobody."));
            }
        }

        return problems;
    }

    /// <summary>
    /// Saves <paramref name="plan"/> with the reviewer's decisions (checked first with <see cref="Check"/>): matched rows
    /// are added unless a decision skips or reassigns them, unmatched rows are added where the reviewer chose an
    /// organization and skipped where not, rows already present add nothing. The import is kept with its file's hash and
    /// counts. The caller saves the context.
    /// </summary>
    public static ImportResult Apply(ToolkitDbContext db, ImportPlan plan, string fileName, IReadOnlyDictionary<string, RowDecision> decisions, DateTime now, string importedBy)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(decisions);
        var import = new AttendanceImport(plan.Event, fileName, plan.Report.Hash, now, importedBy);
        var people = plan.People.GroupBy(p => p.UserId).ToDictionary(g => g.Key, g => g.First());
        int added = 0, matched = 0, resolved = 0, already = 0;
        var skipped = plan.Report.Skipped.Select(p => new SkippedRow(p.Line, p.Text, p.Reason)).ToList();
        foreach (var row in plan.Rows)
        {
            if (row.Match == RowMatch.AlreadyPresent)
            {
                already++;
                continue;
            }

            var decision = decisions.GetValueOrDefault(row.Row.Email);
            if (decision is { Skips: true })
            {
                skipped.Add(new SkippedRow(row.Row.Line, $"{row.Row.Name} <{row.Row.Email}>", "skipped by the reviewer"));
                continue;
            }

            var organization = decision?.OrganizationId ?? row.OrganizationId;
            if (organization is not { } chosen)
            {
                skipped.Add(new SkippedRow(row.Row.Line, $"{row.Row.Name} <{row.Row.Email}>", $"no organization chosen ({row.Reason})"));
                continue;
            }

            // The person: the one chosen; nobody when the reviewer said so; else the matched user if they belong to the chosen organization.
            var userId = decision?.UserId is { Length: > 0 } picked ? picked
                : decision is { NoPerson: true } ? null
                : row.UserId is { } user && plan.People.Any(p => p.UserId == user && p.OrganizationId == chosen) ? user
                : row.Match == RowMatch.Person && row.OrganizationId == chosen ? row.UserId : null;
            // A row linked to a portal user carries that user's name, as a person recorded by hand does; else the file's.
            var name = userId is not null && people.TryGetValue(userId, out var person) && !string.IsNullOrWhiteSpace(person.Name) ? person.Name : row.Row.Name;
            db.Attendances.Add(Attendance.Imported(plan.Event, import, row.Row.Line, chosen, userId, name, row.Row.Email, row.Row.Minutes, now, importedBy));
            added++;
            if (decision is null || (decision.OrganizationId == row.OrganizationId && row.Match != RowMatch.Unmatched))
            {
                matched++;
            }
            else
            {
                resolved++;
            }
        }

        import.Record(plan.Rows.Count, added, already, skipped.Count);
        db.AttendanceImports.Add(import);
        return new ImportResult(import.Id, added, matched, resolved, already, skipped.OrderBy(s => s.Line).ToList());
    }
}
