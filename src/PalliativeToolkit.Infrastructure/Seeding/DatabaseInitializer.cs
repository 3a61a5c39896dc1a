using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PalliativeToolkit.Domain.ActionPlans;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Frameworks;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Infrastructure.Seeding;

/// <summary>
/// Brings a database up to date on start: applies pending migrations, switches SQLite to WAL, loads the framework
/// file and seeds what is missing. Idempotent: a second run changes nothing.
/// </summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<ToolkitDbContext> dbFactory,
    UserManager<ApplicationUser> users,
    RoleManager<IdentityRole> roles,
    IOptions<DatabaseOptions> database,
    IOptions<DemoOptions> demo,
    IOptions<AdministratorOptions> administrator,
    TimeProvider time,
    ILogger<DatabaseInitializer> logger,
    IHostEnvironment? environment = null)
{
    public async Task<IReadOnlyList<SeededAccount>> InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using (var db = await SystemContextAsync(cancellationToken))
        {
            if (database.Value.MigrateOnStart)
            {
                await db.Database.MigrateAsync(cancellationToken);
            }

            if (db.Database.IsSqlite())
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }

            var sealedRows = await Auditing.AuditChain.SealLegacyAsync(db, cancellationToken);
            if (sealedRows > 0)
            {
                logger.LogWarning("Sealed {Rows} audit rows written before the audit chain existed: the chain vouches for them as they stood now", sealedRows);
            }
        }

        await AdoptLegacyCountiesAsync(cancellationToken);
        await SeedFrameworkAsync(cancellationToken);
        await SeedResourceLibraryAsync(cancellationToken);
        foreach (var role in GlobalRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), $"role {role}");
            }
        }

        await using var context = await SystemContextAsync(cancellationToken);
        if (await context.Organizations.AnyAsync(cancellationToken) || await context.Users.AnyAsync(cancellationToken))
        {
            return [];
        }

        return demo.Value.Seed
            ? await SeedDemoAsync(cancellationToken)
            : await SeedAdministratorAsync();
    }

    /// <summary>
    /// Organizations from before counties were reference data carry what was typed (the migration kept it as
    /// LegacyCounties): each name that is a California county becomes one; the others are logged for an administrator to
    /// correct, and the text is cleared. Audited as "system", like any change of the portal's own.
    /// </summary>
    private async Task AdoptLegacyCountiesAsync(CancellationToken cancellationToken)
    {
        await using var db = await SystemContextAsync(cancellationToken);
        var organizations = await db.Organizations.Where(o => o.LegacyCounties != null).ToListAsync(cancellationToken);
        foreach (var organization in organizations)
        {
            var unknown = organization.AdoptLegacyCounties();
            if (unknown.Count > 0)
            {
                logger.LogWarning("Organization {OrganizationId}: {Count} typed county names are no California county and were left out; an administrator should choose its counties", organization.Id, unknown.Count);
            }
        }

        if (organizations.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Counties of {Count} organizations turned from typed text into California counties", organizations.Count);
        }
    }

    /// <summary>The seeder is the portal itself: it sees every row, and its changes are audited as "system".</summary>
    private async Task<ToolkitDbContext> SystemContextAsync(CancellationToken cancellationToken)
    {
        var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ActAs(Viewer.System);
        return db;
    }

    /// <summary>Adds the library's resources that are not in the database yet (by key); what editors changed stays.</summary>
    private async Task SeedResourceLibraryAsync(CancellationToken cancellationToken)
    {
        var resources = ResourceLibraryLoader.LoadEmbedded();
        await using var db = await SystemContextAsync(cancellationToken);
        var known = await db.LibraryResources.Select(r => r.Key).ToListAsync(cancellationToken);
        var missing = resources.Where(r => !known.Contains(r.Key)).ToList();
        if (missing.Count > 0)
        {
            db.LibraryResources.AddRange(missing);
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Added {Count} resources to the library", missing.Count);
        }
    }

    private async Task SeedFrameworkAsync(CancellationToken cancellationToken)
    {
        var (framework, resources) = FrameworkLoader.LoadEmbedded();
        await using var db = await SystemContextAsync(cancellationToken);
        if (await db.FrameworkVersions.AnyAsync(f => f.Label == framework.Label, cancellationToken))
        {
            return;
        }

        foreach (var older in await db.FrameworkVersions.Where(f => f.IsCurrent).ToListAsync(cancellationToken))
        {
            older.MarkSuperseded();
        }

        framework.MarkCurrent();
        db.FrameworkVersions.Add(framework);
        db.Resources.AddRange(resources);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Loaded framework {FrameworkVersion} with {ElementCount} elements", framework.Label, framework.Elements.Count());
    }

    private async Task<IReadOnlyList<SeededAccount>> SeedAdministratorAsync()
    {
        var options = administrator.Value;
        if (string.IsNullOrWhiteSpace(options.Password))
        {
            throw new InvalidOperationException(
                "Demo:Seed is false, so the portal starts empty with one administrator: set Administrator:Password (and optionally Administrator:Email) in configuration.");
        }

        await CreateUserAsync(options.Email, "Portal administrator", options.Password, GlobalRoles.Administrator);
        return [new SeededAccount(options.Email, GlobalRoles.Administrator, null)];
    }

    private async Task<IReadOnlyList<SeededAccount>> SeedDemoAsync(CancellationToken cancellationToken)
    {
        var password = demo.Value.Password;

        // The README publishes the demo password: outside Development it would open every demo account to anyone.
        if (environment?.IsDevelopment() != true && password == DemoOptions.DefaultPassword)
        {
            throw new InvalidOperationException(
                $"Demo:Seed is true in the {environment?.EnvironmentName ?? "current"} environment, with the demo password the README publishes: " +
                "the portal would create accounts anyone can sign in to. Set Demo:Password to a password of your own, or Demo:Seed=false " +
                "(then Administrator:Password) for a real deployment.");
        }
        var accounts = new List<SeededAccount>();
        var plans = DemoData.Plans();
        var providers = DemoData.Providers();
        var statewide = DemoData.Statewide();

        async Task<ApplicationUser> Account(string local, string name, string? globalRole, Organization? organization, OrganizationRole? role)
        {
            var email = $"{local}@{DemoData.EmailDomain}";
            var user = await CreateUserAsync(email, name, password, globalRole);
            if (organization is not null && role is not null)
            {
                organization.AddMember(user.Id, role.Value);
            }

            accounts.Add(new SeededAccount(email, globalRole ?? role.ToString()!, organization?.Name));
            return user;
        }

        await Account("admin", "Avery Admin", GlobalRoles.Administrator, null, null);
        var reviewer = await Account("reviewer", "Riley Reviewer", GlobalRoles.StatewideReviewer, statewide, OrganizationRole.Viewer);
        var manager = await Account("manager", "Morgan Manager", null, plans[0], OrganizationRole.Manager);
        var contributor = await Account("contributor", "Casey Contributor", null, plans[0], OrganizationRole.Contributor);
        await Account("viewer", "Val Viewer", null, plans[0], OrganizationRole.Viewer);
        var otherManagers = new List<ApplicationUser>();
        for (var i = 1; i < plans.Count; i++)
        {
            otherManagers.Add(await Account($"manager{i + 1}", $"Plan {i + 1} Manager", null, plans[i], OrganizationRole.Manager));
        }

        var providerManagers = new List<ApplicationUser> { await Account("provider", "Parker Provider", null, providers[0], OrganizationRole.Manager) };
        for (var i = 1; i < providers.Count; i++)
        {
            providerManagers.Add(await Account($"provider{i + 1}", $"Provider {i + 1} Manager", null, providers[i], OrganizationRole.Manager));
        }

        await using var db = await SystemContextAsync(cancellationToken);
        db.Organizations.AddRange(plans);
        db.Organizations.AddRange(providers);
        db.Organizations.Add(statewide);
        await db.SaveChangesAsync(cancellationToken);

        var framework = await db.CurrentFrameworkAsync(cancellationToken);
        var start = time.GetUtcNow().UtcDateTime;
        var lastYear = (start.Year - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var thisYear = start.Year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var random = new Random(2018);
        var lastCycle = start.AddMonths(-13);
        var thisCycle = start.AddDays(-40);

        // Each plan and the first providers: last cycle submitted and reviewed, this cycle in several states.
        Assessment Completed(Organization org, string cycle, DateTime startedAt, double maturity, string userId, Assessment? previous)
        {
            var assessment = Assessment.Start(org, framework, cycle, startedAt, userId, previous);
            Answer(assessment, random, maturity, complete: true);
            assessment.Submit(startedAt.AddDays(30), userId);
            return assessment;
        }

        var created = new List<Assessment>();
        var p1Last = Completed(plans[0], lastYear, lastCycle, 0.55, manager.Id, null);
        p1Last.Accept(lastCycle.AddDays(40), reviewer.Id);
        var p1Now = Assessment.Start(plans[0], framework, thisYear, thisCycle, manager.Id, p1Last);
        Answer(p1Now, random, 0.7, complete: false);
        created.AddRange([p1Last, p1Now]);

        var p2Last = Completed(plans[1], lastYear, lastCycle, 0.35, otherManagers[0].Id, null);
        p2Last.Accept(lastCycle.AddDays(45), reviewer.Id);
        var p2Now = Completed(plans[1], thisYear, thisCycle, 0.6, otherManagers[0].Id, p2Last);
        created.AddRange([p2Last, p2Now]);

        var p3Last = Completed(plans[2], lastYear, lastCycle, 0.75, otherManagers[1].Id, null);
        var firstElement = p3Last.Elements[0].ElementId;
        p3Last.Return(lastCycle.AddDays(50), reviewer.Id, [(firstElement, "Please attach the eligibility policy you describe, or a link to it."), (null, "Thank you. A few elements need evidence before we can accept this cycle.")]);
        created.Add(p3Last);

        var p4Last = Completed(plans[3], lastYear, lastCycle, 0.45, otherManagers[2].Id, null);
        p4Last.Accept(lastCycle.AddDays(60), reviewer.Id);
        created.Add(p4Last);

        // Providers' readiness (section B): two cycles for the first, so its partner sees the change since the last one.
        var r1Last = Completed(providers[0], lastYear, lastCycle, 0.45, providerManagers[0].Id, null);
        r1Last.Accept(lastCycle.AddDays(42), reviewer.Id);
        var r1 = Completed(providers[0], thisYear, thisCycle, 0.65, providerManagers[0].Id, r1Last);
        var r2Last = Completed(providers[1], lastYear, lastCycle, 0.5, providerManagers[1].Id, null);
        var r2 = Assessment.Start(providers[1], framework, thisYear, start.AddDays(-5), providerManagers[1].Id, r2Last);
        Answer(r2, random, 0.5, complete: false);
        var r4 = Completed(providers[3], thisYear, thisCycle, 0.55, providerManagers[3].Id, null);
        created.AddRange([r1Last, r1, r2Last, r2, r4]);

        db.Assessments.AddRange(created);
        await db.SaveChangesAsync(cancellationToken);

        var redwood = SeedPartnerships(db, plans, providers, manager.Id, otherManagers, providerManagers, start);
        await db.SaveChangesAsync(cancellationToken);
        db.JointAssessments.Add(JointSectionE(redwood, framework, thisYear, start, manager.Id, providerManagers[0].Id));
        await db.SaveChangesAsync(cancellationToken);
        var library = await db.LibraryResources.AsNoTracking().Where(r => r.RetiredAt == null).Select(r => new { r.Id, r.ElementCodes }).ToListAsync(cancellationToken);
        db.ActionItems.AddRange(DemoActionItems(framework, p1Last, p1Now, manager.Id, contributor.Id, start,
            code => library.Where(r => r.ElementCodes.Contains(code)).Select(r => r.Id).Take(5).ToList()));
        await db.SaveChangesAsync(cancellationToken);
        DemoCommunity.Seed(db, plans, providers, reviewer.Id, [manager.Id, contributor.Id], otherManagers.Select(u => u.Id).ToList(), providerManagers.Select(u => u.Id).ToList(), start);
        await db.SaveChangesAsync(cancellationToken);
        await DemoSurveys.SeedAsync(db, plans, providers, reviewer.Id, [manager.Id, .. otherManagers.Select(m => m.Id)], providerManagers.Select(m => m.Id).ToList(), start, cancellationToken);
        await DemoAttendance.SeedAsync(db, plans, providers, reviewer.Id, start, cancellationToken);
        logger.LogInformation("Seeded demo data: {Organizations} organizations, {Accounts} accounts, {Assessments} assessments",
            plans.Count + providers.Count + 1, accounts.Count, created.Count);
        return accounts;
    }

    /// <summary>
    /// Golden Poppy's action plan: last cycle's gaps as items in every status (so this cycle shows which elements improved),
    /// one overdue and one due within the month, and an item drafted from this cycle's draft.
    /// </summary>
    private static List<ActionItem> DemoActionItems(FrameworkVersion framework, Assessment last, Assessment now, string manager, string contributor, DateTime start,
        Func<string, IReadOnlyList<Guid>> resourcesFor)
    {
        var elements = framework.Sections.SelectMany(s => s.Elements.Select(e => (Section: s, Element: e))).ToDictionary(x => x.Element.Id);
        ActionItem Gap(Assessment assessment, ElementResponse response, DateTime drafted)
        {
            var (section, element) = elements[response.ElementId];
            var unmet = element.Criteria.Where(c => c.Kind == CriterionKind.Minimum && response.Criteria.First(r => r.CriterionId == c.Id).Answer != Domain.Assessments.Answer.Met)
                .Select(c => c.Code).ToList();
            return ActionItem.ForGap(assessment.OrganizationId, assessment.Id, assessment.Cycle, element.Id, section.Code, element.Code, element.Title, unmet,
                element.EnhancementText, resourcesFor(element.Code), response.Level, drafted, manager);
        }

        var drafted = start.AddMonths(-11);
        var draftedOn = DateOnly.FromDateTime(drafted);
        // California's date, as the pages count overdue and due-soon items: between 4 pm and midnight Pacific the UTC date is tomorrow.
        var today = DateOnly.FromDateTime(EventTime.LocalIn(start, EventTime.Pacific));
        var items = new List<ActionItem>();
        var lastGaps = last.Elements.Where(e => e.Level == Level.BelowMinimum).Take(6).ToList();
        var plan = new (ActionStatus Status, string? Owner, DateOnly? Due, string Notes)[]
        {
            (ActionStatus.Done, manager, draftedOn.AddMonths(3), "Policy drafted with the medical director and approved by the board."),
            (ActionStatus.Done, contributor, draftedOn.AddMonths(5), "Referral workflow live with two provider partners."),
            (ActionStatus.InProgress, contributor, today.AddDays(12), "Waiting for the provider's first quarterly report."),
            (ActionStatus.Planned, manager, today.AddDays(-6), string.Empty),
            (ActionStatus.Dropped, null, null, "Covered by the delegated provider's own program instead."),
            (ActionStatus.Planned, null, null, string.Empty),
        };
        for (var i = 0; i < lastGaps.Count; i++)
        {
            var item = Gap(last, lastGaps[i], drafted);
            var (status, owner, due, notes) = plan[i];
            // Decided when drafted: the due dates were in the future then.
            item.Update(item.Title, owner, due, status, notes, item.ResourceIds, draftedOn, drafted.AddDays(i + 1));
            items.Add(item);
        }

        // This cycle's draft: a gap of its own when it has one, otherwise an enhancement it has not met yet (the answers
        // are drawn at random, so either can happen).
        var draftedNow = start.AddDays(-3);
        ActionItem? fromNow = null;
        if (now.Elements.Where(e => e.Level == Level.BelowMinimum).OrderBy(e => lastGaps.Any(g => g.ElementId == e.ElementId)).FirstOrDefault() is { } current)
        {
            fromNow = Gap(now, current, draftedNow);
        }
        else if (now.Elements.Select(e => (Response: e, Enhancement: elements[e.ElementId].Element.Criteria
                     .FirstOrDefault(c => c.Kind == CriterionKind.Enhancement && e.Criteria.First(r => r.CriterionId == c.Id).Answer != Domain.Assessments.Answer.Met)))
                 .FirstOrDefault(x => x.Enhancement is not null) is { Enhancement: { } enhancement } open)
        {
            var (section, element) = elements[open.Response.ElementId];
            fromNow = ActionItem.ForEnhancement(now.OrganizationId, now.Id, now.Cycle, element.Id, section.Code, element.Code, enhancement.Code, enhancement.Text,
                resourcesFor(element.Code), open.Response.Level, draftedNow, manager);
        }

        if (fromNow is not null)
        {
            fromNow.Update(fromNow.Title, manager, today.AddDays(25), ActionStatus.Planned, "Start with the guide's sample job description.", fromNow.ResourceIds, today, draftedNow);
            items.Add(fromNow);
        }

        return items;
    }

    /// <summary>
    /// Partnerships in every status, each plan with at least one county without an active partner, and readiness shared (Redwood Grove with Golden
    /// Poppy), revoked (Valley Oak with Sierra Vista) and never shared (Manzanita with Central Coast Unity).
    /// </summary>
    private static Partnership SeedPartnerships(
        ToolkitDbContext db, IReadOnlyList<Organization> plans, IReadOnlyList<Organization> providers, string planManager,
        List<ApplicationUser> otherPlanManagers, List<ApplicationUser> providerManagers, DateTime now)
    {
        var today = DateOnly.FromDateTime(EventTime.LocalIn(now, EventTime.Pacific));
        PartnershipTerms Terms(string[] counties, CareService[] services, int? capacity, DateOnly? from, DateOnly? to, params PartnerContact[] contacts) =>
            new(CaliforniaCounties.Named(counties), services, from, to, capacity, contacts);

        var redwood = Partnership.Start(plans[0], providers[0], PartnershipStatus.Contracting, today.AddMonths(-20),
            Terms(["Sonoma", "Napa"], [CareService.HomeVisits, CareService.PhoneLine247, CareService.Chaplaincy, CareService.AdvanceCarePlanning], 25, today.AddMonths(-18), today.AddMonths(18),
                new PartnerContact(PartnerSide.Plan, "Morgan Manager", "Palliative care program manager", $"manager@{DemoData.EmailDomain}", "(707) 555-0142"),
                new PartnerContact(PartnerSide.Provider, "Parker Provider", "Director of palliative care", $"provider@{DemoData.EmailDomain}", "(707) 555-0187")),
            now.AddMonths(-20), planManager);
        redwood.ChangeStatus(PartnershipStatus.Active, today.AddMonths(-18), now.AddMonths(-18), planManager);
        var solano = Partnership.Start(plans[0], providers[2], PartnershipStatus.Prospective, today.AddDays(-30),
            Terms(["Solano"], [CareService.HomeVisits, CareService.CaregiverSupport], null, null, null), now.AddDays(-30), planManager);

        var valleyOak = Partnership.Start(plans[1], providers[1], PartnershipStatus.Active, today.AddMonths(-26),
            Terms(["Amador", "Calaveras", "Tuolumne"], [CareService.HomeVisits, CareService.Telehealth], 12, today.AddMonths(-26), null,
                new PartnerContact(PartnerSide.Provider, "Provider 2 Manager", "Program lead", $"provider2@{DemoData.EmailDomain}", null)),
            now.AddMonths(-26), otherPlanManagers[0].Id);

        var harborlight = Partnership.Start(plans[2], providers[2], PartnershipStatus.Contracting, today.AddMonths(-2),
            Terms(["Alameda"], [CareService.ClinicVisits, CareService.HomeVisits, CareService.SocialWork], 40, null, null), now.AddMonths(-2), otherPlanManagers[1].Id);

        var manzanita = Partnership.Start(plans[3], providers[3], PartnershipStatus.Active, today.AddMonths(-10),
            Terms(["San Diego"], [CareService.HomeVisits, CareService.InterpreterServices, CareService.Bereavement], 30, today.AddMonths(-10), today.AddMonths(14)),
            now.AddMonths(-10), otherPlanManagers[2].Id);
        var ended = Partnership.Start(plans[3], providers[1], PartnershipStatus.Active, today.AddMonths(-30),
            Terms(["Sacramento"], [CareService.HomeVisits, CareService.Telehealth], 15, today.AddMonths(-30), today.AddMonths(-6)), now.AddMonths(-30), otherPlanManagers[2].Id);
        ended.ChangeStatus(PartnershipStatus.Ended, today.AddMonths(-6), now.AddMonths(-6), otherPlanManagers[2].Id);
        db.Partnerships.AddRange(redwood, solano, valleyOak, harborlight, manzanita, ended);

        db.ShareGrants.Add(ShareGrant.Grant(providers[0], plans[0], ShareKind.SubmittedReadiness, now.AddMonths(-12), providerManagers[0].Id));
        var revoked = ShareGrant.Grant(providers[1], plans[1], ShareKind.SubmittedReadiness, now.AddMonths(-11), providerManagers[1].Id);
        revoked.Revoke(now.AddDays(-20), providerManagers[1].Id);
        db.ShareGrants.Add(revoked);
        return redwood;
    }

    /// <summary>
    /// Golden Poppy and Redwood Grove assess section E together: both answered every criterion, they see one minimum
    /// criterion differently (the provider says it is not met yet), each wrote notes, and the plan has marked it ready.
    /// </summary>
    private static JointAssessment JointSectionE(Partnership partnership, FrameworkVersion framework, string cycle, DateTime now, string planManager, string providerManager)
    {
        var joint = JointAssessment.Start(partnership, framework, cycle, now.AddDays(-20), planManager);
        var criteria = framework.Sections.Where(s => s.Audience == Audience.Joint).SelectMany(s => s.Elements).SelectMany(e => e.Criteria).ToList();
        var disputed = criteria.First(c => c.Kind == CriterionKind.Minimum && c.Code.StartsWith("E2", StringComparison.Ordinal));
        var at = now.AddDays(-19);
        foreach (var criterion in criteria)
        {
            var plan = criterion.Kind == CriterionKind.Minimum || criterion.Order % 2 == 1 ? Domain.Assessments.Answer.Met : Domain.Assessments.Answer.NotMet;
            var provider = criterion == disputed ? Domain.Assessments.Answer.NotMet : plan;
            joint.Answer(PartnerSide.Plan, criterion.Id, Domain.Assessments.Answer.Open, plan, at, planManager, $"{criterion.Code}: open → {plan.Describe().ToLowerInvariant()}");
            joint.Answer(PartnerSide.Provider, criterion.Id, Domain.Assessments.Answer.Open, provider, at.AddHours(3), providerManager, $"{criterion.Code}: open → {provider.Describe().ToLowerInvariant()}");
            at = at.AddMinutes(7);
        }

        joint.WriteNotes(PartnerSide.Plan, disputed.ElementId, "", "We send the provider the monthly list of eligible members and agreed the shared measures in the contract.", at, planManager, "notes");
        joint.WriteNotes(PartnerSide.Provider, disputed.ElementId, "", "The member list arrives each month, but no utilization data has come back to us since spring: not met yet from our side.", at.AddHours(2), providerManager, "notes");
        joint.MarkReady(PartnerSide.Plan, now.AddDays(-2), planManager);
        return joint;
    }

    /// <summary>Answers the criteria of a demo assessment the way a program of the given maturity (0–1) would.</summary>
    private static void Answer(Assessment assessment, Random random, double maturity, bool complete)
    {
        var count = assessment.Elements.Count;
        var toAnswer = complete ? count : count / 2;
        foreach (var element in assessment.Elements.Take(toAnswer))
        {
            var answers = element.Criteria.ToDictionary(
                c => c.CriterionId,
                c => c.Kind == CriterionKind.Minimum
                    ? (random.NextDouble() < maturity + 0.2 ? Domain.Assessments.Answer.Met : Domain.Assessments.Answer.NotMet)
                    : (random.NextDouble() < maturity - 0.2 ? Domain.Assessments.Answer.Met : (random.NextDouble() < 0.5 ? Domain.Assessments.Answer.NotMet : Domain.Assessments.Answer.Open)));
            var level = Scoring.LevelOf(element.Criteria.Select(c => (c.Kind, answers[c.CriterionId])).ToList());
            var notes = level >= Level.MeetsMinimum
                ? $"{element.Element?.Code}: policy and workflow documents reviewed with the program team; see the linked folder."
                : $"{element.Element?.Code}: partly in place; the team is drafting the missing pieces this quarter.";
            var priority = level < Level.MeetsMinimum ? Priority.High : Priority.Low;
            assessment.RecordElement(element.Id, answers, notes, level >= Level.MeetsMinimum ? ["https://intranet.example.org/palliative-care/policies"] : [], priority);
        }

        // The rest of a cycle in progress is still open, even where an earlier cycle had answered it.
        foreach (var element in assessment.Elements.Skip(toAnswer))
        {
            assessment.RecordElement(element.Id, element.Criteria.ToDictionary(c => c.CriterionId, _ => Domain.Assessments.Answer.Open), string.Empty, [], Priority.None);
        }
    }

    private async Task<ApplicationUser> CreateUserAsync(string email, string name, string password, string? globalRole)
    {
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
        Check(await users.CreateAsync(user, password), $"account {email}");
        if (globalRole is not null)
        {
            Check(await users.AddToRoleAsync(user, globalRole), $"role of {email}");
        }

        return user;
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not create {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}
