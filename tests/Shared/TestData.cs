using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Testing;

/// <summary>A person a test made, with what it needs to act as them: a principal for services, a password for the browser.</summary>
public sealed record TestUser(string Id, string Email, string DisplayName, ClaimsPrincipal Principal)
{
    public const string Password = "Test-User-Password-1!";
}

/// <summary>
/// Small builders: each test makes the organizations, people and assessments it needs, with names of its own, so that
/// tests sharing one database never step on each other. Everything is written through the portal's own operation as
/// the system (audited as "system"), the way the seeder writes.
/// </summary>
public sealed class TestData(IServiceProvider services)
{
    private static int _counter;

    private OperationRunner Operations => services.GetRequiredService<OperationRunner>();

    private static int Next() => Interlocked.Increment(ref _counter);

    public async Task<Organization> PlanAsync(string? name = null, string counties = "Alameda", PlanModel model = PlanModel.SinglePlan) =>
        await AddOrganizationAsync(new Organization(name ?? $"Test Plan {Next()}-{Guid.NewGuid().ToString("N")[..6]} (test)", OrganizationKind.ManagedCarePlan, CaliforniaCounties.Named(counties.Split(',')), model));

    public async Task<Organization> ProviderAsync(string? name = null) =>
        await AddOrganizationAsync(new Organization(name ?? $"Test Provider {Next()}-{Guid.NewGuid().ToString("N")[..6]} (test)", OrganizationKind.PalliativeCareProvider, CaliforniaCounties.Named("Alameda"), providerType: "Hospice"));

    private async Task<Organization> AddOrganizationAsync(Organization organization)
    {
        await using var op = Operations.OpenAsSystem();
        op.Db.Organizations.Add(organization);
        await op.SaveAsync();
        return organization;
    }

    /// <summary>
    /// An account, in <paramref name="organization"/> with <paramref name="role"/> when given. A password only when asked
    /// (hashing is slow). An account with a global role gets the second factor the portal requires of it
    /// (<see cref="Authenticator.Key"/>) unless <paramref name="secondFactor"/> is false. An address and a name of the
    /// test's own when given (an organization's domain, for the attendance import's matching).
    /// </summary>
    public async Task<TestUser> UserAsync(Organization? organization = null, OrganizationRole role = OrganizationRole.Manager, string? globalRole = null, bool withPassword = false, bool secondFactor = true,
        string? email = null, string? name = null)
    {
        var n = Next();
        email ??= $"user{n}-{Guid.NewGuid().ToString("N")[..8]}@test.palliativetoolkit.org";
        name ??= $"Test {role} {n}";
        await using var op = Operations.OpenAsSystem();
        var users = op.Services.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
        Check(withPassword ? await users.CreateAsync(user, TestUser.Password) : await users.CreateAsync(user), email);
        if (globalRole is not null)
        {
            Check(await users.AddToRoleAsync(user, globalRole), email);
            if (secondFactor)
            {
                await Authenticator.EnrolAsync(op.Services, user);
            }
        }

        if (organization is not null)
        {
            op.Db.Memberships.Add(new Membership(user.Id, organization.Id, role));
            await op.SaveAsync();
        }

        return new TestUser(user.Id, email, name, Principal(user.Id, email, globalRole is null ? [] : [globalRole]));
    }

    /// <summary>A principal as the sign-in cookie would carry it, for calling feature services directly.</summary>
    public static ClaimsPrincipal Principal(string userId, string? name = null, IEnumerable<string>? roles = null) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, userId), new Claim(ClaimTypes.Name, name ?? userId), .. (roles ?? []).Select(r => new Claim(ClaimTypes.Role, r))],
            IdentityConstants.ApplicationScheme));

    /// <summary>
    /// An assessment of the current framework for <paramref name="organization"/>: every criterion answered with
    /// <paramref name="answerAll"/> when given (with notes "A1 evidence" and so on), then submitted when asked; started
    /// and submitted <paramref name="at"/> when given (a round submitted before a cycle ended), else now.
    /// </summary>
    public async Task<Assessment> AssessmentAsync(Organization organization, string cycle = "2026", Answer? answerAll = null, bool submit = false, string by = "test", DateTime? at = null)
    {
        await using var op = Operations.OpenAsSystem();
        var framework = await op.Db.FrameworkVersions
            .Include(f => f.Sections).ThenInclude(s => s.Elements).ThenInclude(e => e.Criteria)
            .SingleAsync(f => f.IsCurrent);
        var tracked = await op.Db.Organizations.SingleAsync(o => o.Id == organization.Id);
        var when = at ?? op.Now;
        var assessment = Assessment.Start(tracked, framework, cycle, when, by);
        if (answerAll is { } answer)
        {
            foreach (var element in assessment.Elements)
            {
                assessment.RecordElement(element.Id, element.Criteria.ToDictionary(c => c.CriterionId, _ => answer), $"{element.Element!.Code} evidence", [], Priority.None);
            }
        }

        if (submit)
        {
            assessment.Submit(when, by);
        }

        op.Db.Assessments.Add(assessment);
        await op.SaveAsync();
        return assessment;
    }

    /// <summary>
    /// <paramref name="count"/> plans, each with an assessment of <paramref name="cycle"/> submitted with every criterion
    /// met (every element at enhancement), written in one operation: scale for the statewide figures.
    /// </summary>
    public async Task<IReadOnlyList<Organization>> SubmittedPlansAsync(int count, string cycle = "2026")
    {
        await using var op = Operations.OpenAsSystem();
        var framework = await op.Db.FrameworkVersions
            .Include(f => f.Sections).ThenInclude(s => s.Elements).ThenInclude(e => e.Criteria)
            .SingleAsync(f => f.IsCurrent);
        var plans = new List<Organization>();
        for (var i = 0; i < count; i++)
        {
            var plan = new Organization($"Scale Plan {Next()}-{Guid.NewGuid().ToString("N")[..6]} (test)", OrganizationKind.ManagedCarePlan, CaliforniaCounties.Named("Sacramento"), PlanModel.Gmc);
            op.Db.Organizations.Add(plan);
            var assessment = Assessment.Start(plan, framework, cycle, op.Now, "test");
            foreach (var element in assessment.Elements)
            {
                assessment.RecordElement(element.Id, element.Criteria.ToDictionary(c => c.CriterionId, _ => Answer.Met), "evidence", [], Priority.None);
            }

            assessment.Submit(op.Now, "test");
            op.Db.Assessments.Add(assessment);
            plans.Add(plan);
        }

        await op.SaveAsync();
        return plans;
    }

    /// <summary>
    /// <paramref name="count"/> plans, each with an assessment of each of <paramref name="cycles"/> submitted: in the k-th
    /// cycle, plan i meets every criterion of its j-th element unless (i + j + k) is a multiple of 3 (then none), so plans
    /// differ from one another and from one cycle to the next. Models and counties vary by plan. Written a few plans per
    /// operation: scale for the statewide figures and exports.
    /// </summary>
    public async Task<IReadOnlyList<Organization>> SubmittedPlansAsync(int count, IReadOnlyList<string> cycles, string namePrefix = "Scale Plan")
    {
        ArgumentNullException.ThrowIfNull(cycles);
        PlanModel[] models = [PlanModel.Gmc, PlanModel.Cohs, PlanModel.TwoPlan, PlanModel.SinglePlan, PlanModel.Regional];
        string[][] counties = [["Sacramento"], ["Fresno", "Kern"], ["Alameda"], ["Los Angeles", "Orange"], ["Humboldt"]];
        var plans = new List<Organization>();
        for (var first = 0; first < count; first += 10)
        {
            await using var op = Operations.OpenAsSystem();
            var framework = await op.Db.FrameworkVersions
                .Include(f => f.Sections).ThenInclude(s => s.Elements).ThenInclude(e => e.Criteria)
                .SingleAsync(f => f.IsCurrent);
            for (var i = first; i < Math.Min(count, first + 10); i++)
            {
                var plan = new Organization($"{namePrefix} {Next()}-{Guid.NewGuid().ToString("N")[..6]} (test)", OrganizationKind.ManagedCarePlan,
                    CaliforniaCounties.Named(counties[i % counties.Length]), models[i % models.Length]);
                op.Db.Organizations.Add(plan);
                for (var k = 0; k < cycles.Count; k++)
                {
                    // Each cycle's round a minute after the one before: an organization's latest round is its last cycle's.
                    var at = op.Now.AddMinutes(k - cycles.Count);
                    var assessment = Assessment.Start(plan, framework, cycles[k], at, "test");
                    var j = 0;
                    foreach (var element in assessment.Elements)
                    {
                        var answer = (i + j + k) % 3 == 0 ? Answer.NotMet : Answer.Met;
                        assessment.RecordElement(element.Id, element.Criteria.ToDictionary(c => c.CriterionId, _ => answer), "evidence", [], Priority.None);
                        j++;
                    }

                    assessment.Submit(at, "test");
                    op.Db.Assessments.Add(assessment);
                }

                plans.Add(plan);
            }

            await op.SaveAsync();
        }

        return plans;
    }

    /// <summary>A reviewer's decision on the assessment's current round: returned with <paramref name="feedback"/>, or accepted when null.</summary>
    public async Task ReviewAsync(Guid assessmentId, string? feedback, string by = "test-reviewer")
    {
        await using var op = Operations.OpenAsSystem();
        var assessment = await op.Db.Assessments.SingleAsync(a => a.Id == assessmentId);
        await op.Db.Submissions.Include(s => s.Elements).Where(s => s.AssessmentId == assessmentId && s.Round == assessment.Round).LoadAsync();
        if (feedback is null)
        {
            assessment.Accept(op.Now, by);
        }
        else
        {
            assessment.Return(op.Now, by, [(null, feedback)]);
        }

        await op.SaveAsync();
    }

    /// <summary>
    /// A feedback thread a reviewer (<paramref name="by"/>) opened on an element of the assessment's latest round that
    /// stands (its first element, or the one coded <paramref name="elementCode"/>), with <paramref name="text"/>.
    /// </summary>
    public async Task<FeedbackThread> ThreadAsync(Guid assessmentId, string text = "Which policy supports this?", string? elementCode = null, string by = "test-reviewer")
    {
        await using var op = Operations.OpenAsSystem();
        var round = await op.Db.Submissions.Include(s => s.Elements)
            .Where(s => s.AssessmentId == assessmentId && s.Decision != Decision.Withdrawn)
            .OrderByDescending(s => s.Round).FirstAsync();
        var ids = round.Elements.Select(e => e.ElementId).ToList();
        var element = elementCode is null
            ? ids.Order().First()
            : await op.Db.Elements.Where(e => e.Code == elementCode && ids.Contains(e.Id)).Select(e => e.Id).SingleAsync();
        var thread = FeedbackThread.Start(round, element, text, by, op.Now);
        op.Db.FeedbackThreads.Add(thread);
        await op.SaveAsync();
        return thread;
    }

    /// <summary>The provider shares its submitted readiness with the plan (a grant).</summary>
    public async Task<ShareGrant> ShareReadinessAsync(Organization provider, Organization plan)
    {
        await using var op = Operations.OpenAsSystem();
        var grant = ShareGrant.Grant(provider, plan, ShareKind.SubmittedReadiness, op.Now, "test");
        op.Db.ShareGrants.Add(grant);
        await op.SaveAsync();
        return grant;
    }

    /// <summary>A partnership between the plan and the provider over the plan's counties, in <paramref name="status"/>, with one contact a side.</summary>
    public async Task<Partnership> PartnershipAsync(Organization plan, Organization provider, PartnershipStatus status = PartnershipStatus.Active)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await using var op = Operations.OpenAsSystem();
        var terms = new PartnershipTerms(plan.Counties, [CareService.HomeVisits], null, null, 10,
            [new PartnerContact(PartnerSide.Plan, "Plan Contact", null, null, null), new PartnerContact(PartnerSide.Provider, "Provider Contact", null, null, null)]);
        var partnership = Partnership.Start(plan, provider, status, DateOnly.FromDateTime(op.Now).AddMonths(-1), terms, op.Now, "test");
        op.Db.Partnerships.Add(partnership);
        await op.SaveAsync();
        return partnership;
    }

    /// <summary>A joint section E of the partnership, each side's first answer given (and submitted, when asked).</summary>
    public async Task<JointAssessment> JointAssessmentAsync(Partnership partnership, bool submit = false)
    {
        ArgumentNullException.ThrowIfNull(partnership);
        await using var op = Operations.OpenAsSystem();
        var framework = await op.Db.FrameworkVersions.Include(f => f.Sections).ThenInclude(s => s.Elements).ThenInclude(e => e.Criteria).SingleAsync(f => f.IsCurrent);
        var joint = JointAssessment.Start(await op.Db.Partnerships.SingleAsync(p => p.Id == partnership.Id), framework, "2026", op.Now, "test");
        foreach (var answer in joint.Answers.ToList())
        {
            joint.Answer(answer.Side, answer.CriterionId, Answer.Open, Answer.Met, op.Now, "test", "answered");
        }

        joint.WriteNotes(PartnerSide.Provider, joint.Answers[0].ElementId, "", "Provider notes", op.Now, "test", "notes");
        if (submit)
        {
            joint.MarkReady(PartnerSide.Plan, op.Now, "test");
            joint.MarkReady(PartnerSide.Provider, op.Now, "test");
            joint.Submit(PartnerSide.Plan, op.Now, "test");
        }

        op.Db.JointAssessments.Add(joint);
        await op.SaveAsync();
        return joint;
    }

    /// <summary>
    /// A survey wave of <paramref name="audience"/> for <paramref name="year"/>, with a bank question of each definition
    /// given (a single choice "Yes"/"No" when none; or the bank questions of the wave <paramref name="sameQuestionsAs"/>), from 10 days ago to 30 days ahead, opened unless asked not to (close it with CloseSurveyAsync once its responses are in).
    /// </summary>
    public async Task<SurveyInstrument> SurveyWaveAsync(SurveyAudience audience, int year, IReadOnlyList<QuestionDefinition>? questions = null, bool open = true, Guid? sameQuestionsAs = null)
    {
        await using var op = Operations.OpenAsSystem();
        if (sameQuestionsAs is { } earlier)
        {
            // The same bank questions as an earlier wave: the results compare the two.
            var ids = await op.Db.SurveyItems.Where(i => i.InstrumentId == earlier).OrderBy(i => i.Order).Select(i => i.QuestionId).ToListAsync();
            var reused = new SurveyInstrument($"Test survey {Next()} of {audience} {year}", audience, year, DateOnly.FromDateTime(op.Now).AddDays(-10), DateOnly.FromDateTime(op.Now).AddDays(30), op.Now, "test");
            foreach (var id in ids)
            {
                reused.Add(await op.Db.SurveyQuestions.SingleAsync(q => q.Id == id));
            }

            if (open)
            {
                reused.Open(op.Now);
            }

            op.Db.SurveyInstruments.Add(reused);
            await op.SaveAsync();
            return reused;
        }

        var today = DateOnly.FromDateTime(op.Now);
        var wave = new SurveyInstrument($"Test survey {Next()} of {audience} {year}", audience, year, today.AddDays(-10), today.AddDays(30), op.Now, "test");
        foreach (var definition in questions ?? [new QuestionDefinition("Do you offer home visits?", null, QuestionKind.SingleChoice, ["Yes", "No"], null, null, PortalSource.None)])
        {
            var question = new SurveyQuestion(definition, op.Now, "test");
            op.Db.SurveyQuestions.Add(question);
            wave.Add(question);
        }

        if (open)
        {
            wave.Open(op.Now);
        }

        op.Db.SurveyInstruments.Add(wave);
        await op.SaveAsync();
        return wave;
    }

    /// <summary>The organization's response to the wave, each question answered with <paramref name="answer"/>(item) when given, submitted when asked.</summary>
    public async Task<SurveyResponse> SurveyResponseAsync(Guid waveId, Organization organization, Func<SurveyItem, SurveyValue?>? answer = null, bool submit = false)
    {
        ArgumentNullException.ThrowIfNull(organization);
        await using var op = Operations.OpenAsSystem();
        var wave = await op.Db.SurveyInstruments.Include(i => i.Items).SingleAsync(i => i.Id == waveId);
        var response = SurveyResponse.Start(wave, organization.Id, wave.OpensOn, op.Now, "test");
        foreach (var item in wave.Items)
        {
            if (answer?.Invoke(item) is { } value)
            {
                response.Record(item, value, null, op.Now, "test");
            }
        }

        if (submit)
        {
            response.Submit(wave.Items, op.Now, "test");
        }

        op.Db.SurveyResponses.Add(response);
        await op.SaveAsync();
        return response;
    }

    public async Task CloseSurveyAsync(Guid waveId)
    {
        await using var op = Operations.OpenAsSystem();
        (await op.Db.SurveyInstruments.SingleAsync(i => i.Id == waveId)).Close(op.Now);
        await op.SaveAsync();
    }

    public async Task RevokeAsync(Guid grantId)
    {
        await using var op = Operations.OpenAsSystem();
        var grant = await op.Db.ShareGrants.SingleAsync(g => g.Id == grantId);
        grant.Revoke(op.Now, "test");
        await op.SaveAsync();
    }

    /// <summary>
    /// <paramref name="organization"/>'s submitted rounds of <paramref name="previous"/> (every criterion answered
    /// <paramref name="before"/>) and of <paramref name="cycle"/> (every one met), dated <paramref name="previousDaysAgo"/> and
    /// <paramref name="daysAgo"/> days back.
    /// </summary>
    public async Task TwoRoundsAsync(Organization organization, string previous, Answer before, int previousDaysAgo, string cycle, int daysAgo)
    {
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        await AssessmentAsync(organization, previous, before, submit: true, at: now.AddDays(-previousDaysAgo));
        await AssessmentAsync(organization, cycle, Answer.Met, submit: true, at: now.AddDays(-daysAgo));
    }

    /// <summary>A learning community event that took place <paramref name="daysAgo"/> days ago at 10:00 Pacific, covering <paramref name="elementCodes"/>.</summary>
    public async Task<CommunityEvent> PastEventAsync(int daysAgo, IReadOnlyList<string> elementCodes, EventKind kind = EventKind.Webinar, Guid? planOrganizationId = null)
    {
        await using var op = Operations.OpenAsSystem();
        var day = EventTime.LocalIn(op.Now, EventTime.Pacific).Date.AddDays(-daysAgo);
        var time = EventTime.At(day.AddHours(10), EventTime.Pacific, 60);
        // Entered two weeks before it took place, as events are planned.
        var communityEvent = new CommunityEvent(kind, $"{kind} {Next()} (test)", time, "A test session", "Test presenters",
            elementCodes, planOrganizationId, time.StartsAtUtc.AddDays(-14), "test");
        op.Db.CommunityEvents.Add(communityEvent);
        await op.SaveAsync();
        return communityEvent;
    }

    /// <summary>
    /// Someone of each of <paramref name="organizations"/> attended <paramref name="eventId"/>, recorded by staff the day
    /// after it (or now, when that is sooner), or at <paramref name="recordedAt"/>.
    /// </summary>
    public async Task AttendedAsync(Guid eventId, IEnumerable<Organization> organizations, DateTime? recordedAt = null)
    {
        await using var op = Operations.OpenAsSystem();
        var communityEvent = await op.Db.CommunityEvents.SingleAsync(e => e.Id == eventId);
        var at = recordedAt ?? (communityEvent.EndsAt.AddDays(1) is var dayAfter && dayAfter < op.Now ? dayAfter : op.Now);
        foreach (var organization in organizations)
        {
            op.Db.Attendances.Add(Attendance.ByStaff(communityEvent, organization.Id, null, $"Attendee {Next()}", $"attendee{Next()}@{Guid.NewGuid():N}.example.org", at, "test"));
        }

        await op.SaveAsync();
    }

    /// <summary>Reads what is stored, as the portal itself (no access filter): the oracle of a test, never its subject.</summary>
    public async Task<T> StoredAsync<T>(Func<ToolkitDbContext, Task<T>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        await using var op = Operations.OpenAsSystem();
        return await read(op.Db);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not create {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}
