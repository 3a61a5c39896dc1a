using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Infrastructure.Persistence;
using PalliativeToolkit.Testing;

namespace PalliativeToolkit.Infrastructure.Tests;

/// <summary>The access layer: what each viewer's operation can reach at all, whatever query a feature writes.</summary>
public class IsolationTests
{
    /// <summary>Every organization-owned set, as a feature could query it (directly, without remembering any rule).</summary>
    private static async Task<Dictionary<string, List<Guid>>> OrganizationsReachedAsync(ToolkitDbContext db) => new()
    {
        [nameof(db.Organizations)] = await db.Organizations.Select(o => o.Id).ToListAsync(),
        [nameof(db.Memberships)] = await db.Memberships.Select(m => m.OrganizationId).ToListAsync(),
        [nameof(db.Assessments)] = await db.Assessments.Select(a => a.OrganizationId).ToListAsync(),
        [nameof(db.ElementResponses)] = await db.ElementResponses.Select(e => e.OrganizationId).ToListAsync(),
        [nameof(db.CriterionResponses)] = await db.CriterionResponses.Select(c => c.OrganizationId).ToListAsync(),
        [nameof(db.Submissions)] = await db.Submissions.Select(s => s.OrganizationId).ToListAsync(),
        [nameof(db.SubmittedElements)] = await db.SubmittedElements.Select(s => s.OrganizationId).ToListAsync(),
        [nameof(db.SubmittedAnswers)] = await db.SubmittedAnswers.Select(s => s.OrganizationId).ToListAsync(),
        [nameof(db.Feedback)] = await db.Feedback.Select(f => f.OrganizationId).ToListAsync(),
        [nameof(db.FeedbackThreads)] = await db.FeedbackThreads.Select(f => f.OrganizationId).ToListAsync(),
        [nameof(db.FeedbackMessages)] = await db.FeedbackMessages.Select(f => f.OrganizationId).ToListAsync(),
        [nameof(db.Attendances)] = await db.Attendances.Select(a => a.OrganizationId).ToListAsync(),
        [nameof(db.EventRegistrations)] = await db.EventRegistrations.Select(r => r.OrganizationId).ToListAsync(),
        [nameof(db.Partnerships)] = await db.Partnerships.Select(p => p.PlanOrganizationId).Concat(db.Partnerships.Select(p => p.ProviderOrganizationId)).ToListAsync(),
        [nameof(PartnershipContact)] = await db.Set<PartnershipContact>().Select(p => p.PlanOrganizationId).Concat(db.Set<PartnershipContact>().Select(p => p.ProviderOrganizationId)).ToListAsync(),
        [nameof(db.JointAssessments)] = await db.JointAssessments.Select(p => p.PlanOrganizationId).Concat(db.JointAssessments.Select(p => p.ProviderOrganizationId)).ToListAsync(),
        [nameof(JointAnswer)] = await db.Set<JointAnswer>().Select(p => p.PlanOrganizationId).Concat(db.Set<JointAnswer>().Select(p => p.ProviderOrganizationId)).ToListAsync(),
        [nameof(JointNote)] = await db.Set<JointNote>().Select(p => p.PlanOrganizationId).Concat(db.Set<JointNote>().Select(p => p.ProviderOrganizationId)).ToListAsync(),
        [nameof(JointChange)] = await db.Set<JointChange>().Select(p => p.PlanOrganizationId).Concat(db.Set<JointChange>().Select(p => p.ProviderOrganizationId)).ToListAsync(),
        [nameof(db.SurveyResponses)] = await db.SurveyResponses.Select(r => r.OrganizationId).ToListAsync(),
        [nameof(db.SurveyAnswers)] = await db.SurveyAnswers.Select(a => a.OrganizationId).ToListAsync(),
        [nameof(PartnershipStatusChange)] = await db.Set<PartnershipStatusChange>().Select(p => p.PlanOrganizationId).Concat(db.Set<PartnershipStatusChange>().Select(p => p.ProviderOrganizationId)).ToListAsync(),
    };

    /// <summary>Every palliative care provider: a plan's members see their profiles (to pick partners from), nothing more.</summary>
    private static Task<List<Guid>> ProvidersAsync(TestData data) =>
        data.StoredAsync(db => db.Organizations.Where(o => o.Kind == OrganizationKind.PalliativeCareProvider).Select(o => o.Id).ToListAsync());

    private static async Task<Dictionary<string, List<Guid>>> ReachedByAsync(TestDatabase database, ClaimsPrincipal principal)
    {
        await using var op = await database.OperationAsync(principal);
        return await OrganizationsReachedAsync(op.Db);
    }

    private sealed record World(Organization Plan, Organization OtherPlan, Organization Provider, Assessment PlanDraft, Assessment PlanReturned, Assessment OtherSubmitted, Assessment Readiness,
        Domain.Community.SurveyResponse PlanSurveyDraft, Domain.Community.SurveyResponse OtherSurveySubmitted, Guid OtherPlansPrivateCall, Guid OtherPlansUpcomingPrivateCall);

    /// <summary>Two plans and a provider, each with work in several states.</summary>
    private static async Task<World> ArrangeAsync(TestDatabase database)
    {
        var data = database.Data;
        var plan = await data.PlanAsync();
        var otherPlan = await data.PlanAsync();
        var provider = await data.ProviderAsync();
        var draft = await data.AssessmentAsync(plan, "2027", Answer.Met);
        var returned = await data.AssessmentAsync(plan, "2026", Answer.Met, submit: true);
        await data.ReviewAsync(returned.Id, "Attach the policy");
        var otherSubmitted = await data.AssessmentAsync(otherPlan, "2026", Answer.NotMet, submit: true);
        var readiness = await data.AssessmentAsync(provider, "2026", Answer.Met, submit: true);
        // A feedback thread on each organization's submitted work.
        await data.ThreadAsync(returned.Id);
        await data.ThreadAsync(otherSubmitted.Id);
        await data.ThreadAsync(readiness.Id);
        // The annual survey: the plan's response a draft, the other plan's submitted.
        var wave = await data.SurveyWaveAsync(Domain.Community.SurveyAudience.Plans, 2019);
        var surveyDraft = await data.SurveyResponseAsync(wave.Id, plan, _ => Domain.Community.SurveyValue.Choose(["Yes"]));
        var surveySubmitted = await data.SurveyResponseAsync(wave.Id, otherPlan, _ => Domain.Community.SurveyValue.Choose(["No"]), submit: true);
        var (privateCall, upcomingPrivateCall) = await ArrangeCommunityAsync(database, plan, otherPlan, provider);
        return new World(plan, otherPlan, provider, draft, returned, otherSubmitted, readiness, surveyDraft, surveySubmitted, privateCall, upcomingPrivateCall);
    }

    /// <summary>
    /// The learning community: a past open webinar each organization attended and a past support call private to the other
    /// plan (its people attended); an upcoming open webinar each organization registered for and an upcoming support call
    /// private to the other plan (its people registered). Answers the two private calls.
    /// </summary>
    private static async Task<(Guid Past, Guid Upcoming)> ArrangeCommunityAsync(TestDatabase database, Organization plan, Organization otherPlan, Organization provider)
    {
        var now = database.Time.GetUtcNow().UtcDateTime;
        var people = new Dictionary<Guid, TestUser>
        {
            [plan.Id] = await database.Data.UserAsync(plan, OrganizationRole.Contributor),
            [otherPlan.Id] = await database.Data.UserAsync(otherPlan, OrganizationRole.Contributor),
            [provider.Id] = await database.Data.UserAsync(provider, OrganizationRole.Contributor),
        };
        Domain.Community.CommunityEvent Event(Domain.Community.EventKind kind, int days, Guid? only) => new(kind, $"{kind} {Guid.NewGuid():N}",
            Domain.Community.EventTime.At(Domain.Community.EventTime.LocalIn(now, Domain.Community.EventTime.Pacific).Date.AddDays(days).AddHours(10), Domain.Community.EventTime.Pacific, 60),
            "Topic", "Presenters", ["D1"], only, now, "test");
        var pastWebinar = Event(Domain.Community.EventKind.Webinar, -10, null);
        var pastCall = Event(Domain.Community.EventKind.SupportCall, -9, otherPlan.Id);
        var nextWebinar = Event(Domain.Community.EventKind.Webinar, 10, null);
        var nextCall = Event(Domain.Community.EventKind.SupportCall, 11, otherPlan.Id);
        await using var db = database.SystemContext();
        db.CommunityEvents.AddRange(pastWebinar, pastCall, nextWebinar, nextCall);
        foreach (var (organization, person) in people)
        {
            db.Attendances.Add(Domain.Community.Attendance.ByStaff(pastWebinar, organization, person.Id, person.DisplayName, person.Email, now, "test"));
            db.EventRegistrations.Add(new Domain.Community.EventRegistration(nextWebinar, organization, person.Id, now, "test"));
        }

        var other = people[otherPlan.Id];
        db.Attendances.Add(Domain.Community.Attendance.ByStaff(pastCall, otherPlan.Id, other.Id, other.DisplayName, other.Email, now, "test"));
        db.EventRegistrations.Add(new Domain.Community.EventRegistration(nextCall, otherPlan.Id, other.Id, now, "test"));
        await db.SaveChangesAsync();
        return (pastCall.Id, nextCall.Id);
    }

    [Fact]
    public async Task A_member_reaches_their_own_organizations_data_drafts_included_and_nothing_of_anyone_else()
    {
        await using var database = await TestDatabase.CreateAsync();
        var world = await ArrangeAsync(database);
        var contributor = await database.Data.UserAsync(world.Plan, OrganizationRole.Contributor);

        var reached = await ReachedByAsync(database, contributor.Principal);
        var providers = await ProvidersAsync(database.Data);

        Assert.All(reached.Where(set => set.Key != nameof(ToolkitDbContext.Organizations)), set => Assert.All(set.Value, org => Assert.Equal(world.Plan.Id, org)));
        Assert.All(reached[nameof(ToolkitDbContext.Organizations)], org => Assert.True(org == world.Plan.Id || providers.Contains(org), "a plan's member sees its own plan and the providers' profiles only"));
        Assert.DoesNotContain(world.OtherPlan.Id, reached[nameof(ToolkitDbContext.Organizations)]);
        Assert.Equal(2, reached[nameof(ToolkitDbContext.Assessments)].Count);
        Assert.NotEmpty(reached[nameof(ToolkitDbContext.ElementResponses)]);
        Assert.NotEmpty(reached[nameof(ToolkitDbContext.Submissions)]);
        Assert.NotEmpty(reached[nameof(ToolkitDbContext.Feedback)]);
        Assert.NotEmpty(reached[nameof(ToolkitDbContext.FeedbackThreads)]);
        Assert.NotEmpty(reached[nameof(ToolkitDbContext.FeedbackMessages)]);
        Assert.Equal([world.Plan.Id], reached[nameof(ToolkitDbContext.SurveyResponses)]);
        Assert.NotEmpty(reached[nameof(ToolkitDbContext.SurveyAnswers)]);
    }

    [Fact]
    public async Task A_reviewer_reaches_submitted_rounds_of_every_organization_but_no_draft_and_no_working_answer()
    {
        await using var database = await TestDatabase.CreateAsync();
        var world = await ArrangeAsync(database);
        var reviewer = await database.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);

        var reached = await ReachedByAsync(database, reviewer.Principal);
        await using var op = await database.OperationAsync(reviewer.Principal);
        var assessments = await op.Db.Assessments.Select(a => a.Id).ToListAsync();
        var withWorkingAnswers = await op.Db.Assessments.Include(a => a.Elements).SingleAsync(a => a.Id == world.PlanReturned.Id);

        Assert.DoesNotContain(world.PlanDraft.Id, assessments);
        Assert.Contains(world.PlanReturned.Id, assessments);
        Assert.Contains(world.OtherSubmitted.Id, assessments);
        Assert.Contains(world.Readiness.Id, assessments);
        Assert.Empty(reached[nameof(ToolkitDbContext.ElementResponses)]);
        Assert.Empty(reached[nameof(ToolkitDbContext.CriterionResponses)]);
        Assert.Empty(withWorkingAnswers.Elements);
        Assert.Equal(
            await database.Data.StoredAsync(db => db.Submissions.CountAsync()),
            reached[nameof(ToolkitDbContext.Submissions)].Count);
        Assert.Contains(world.Plan.Id, reached[nameof(ToolkitDbContext.Feedback)]);
        Assert.All(new[] { world.Plan.Id, world.OtherPlan.Id, world.Provider.Id }, org => Assert.Contains(org, reached[nameof(ToolkitDbContext.FeedbackThreads)]));
        Assert.Contains(world.Provider.Id, reached[nameof(ToolkitDbContext.FeedbackMessages)]);
        // Survey responses: submitted ones only, never a draft's answers.
        Assert.Contains(world.OtherPlan.Id, reached[nameof(ToolkitDbContext.SurveyResponses)]);
        Assert.DoesNotContain(world.Plan.Id, reached[nameof(ToolkitDbContext.SurveyResponses)]);
        Assert.Contains(world.OtherPlan.Id, reached[nameof(ToolkitDbContext.SurveyAnswers)]);
        Assert.DoesNotContain(world.Plan.Id, reached[nameof(ToolkitDbContext.SurveyAnswers)]);
    }

    [Fact]
    public async Task A_grant_lets_a_plan_read_the_providers_submitted_readiness_and_nothing_more_until_it_is_revoked()
    {
        await using var database = await TestDatabase.CreateAsync();
        var world = await ArrangeAsync(database);
        var planManager = await database.Data.UserAsync(world.Plan);
        var otherProvider = await database.Data.ProviderAsync();
        await database.Data.AssessmentAsync(otherProvider, "2026", Answer.Met, submit: true);
        var providerDraft = await database.Data.AssessmentAsync(world.Provider, "2027", Answer.NotMet);

        var otherPlanManager = await database.Data.UserAsync(world.OtherPlan);
        var before = await ReachedByAsync(database, planManager.Principal);
        var grant = await database.Data.ShareReadinessAsync(world.Provider, world.Plan);
        var shared = await ReachedByAsync(database, planManager.Principal);
        var anotherPlan = await ReachedByAsync(database, otherPlanManager.Principal);
        await database.Data.RevokeAsync(grant.Id);
        var revoked = await ReachedByAsync(database, planManager.Principal);

        Assert.DoesNotContain(world.Provider.Id, before.Where(s => s.Key != nameof(ToolkitDbContext.Organizations)).SelectMany(s => s.Value));
        Assert.Contains(world.Provider.Id, shared[nameof(ToolkitDbContext.Submissions)]);
        Assert.Contains(world.Provider.Id, shared[nameof(ToolkitDbContext.SubmittedAnswers)]);
        Assert.Contains(world.Provider.Id, shared[nameof(ToolkitDbContext.Organizations)]);
        Assert.DoesNotContain(world.Provider.Id, shared[nameof(ToolkitDbContext.ElementResponses)]);
        // A grant reaches the provider's rounds, never the conversation between the provider and the reviewers.
        Assert.DoesNotContain(world.Provider.Id, shared[nameof(ToolkitDbContext.FeedbackThreads)]);
        Assert.DoesNotContain(world.Provider.Id, shared[nameof(ToolkitDbContext.FeedbackMessages)]);
        Assert.DoesNotContain(world.Provider.Id, shared[nameof(ToolkitDbContext.Memberships)]);
        Assert.DoesNotContain(otherProvider.Id, shared.Where(s => s.Key != nameof(ToolkitDbContext.Organizations)).SelectMany(s => s.Value));
        // The grant is the plan's: another plan reaches nothing of the provider while it stands.
        Assert.DoesNotContain(world.Provider.Id, anotherPlan.Where(s => s.Key != nameof(ToolkitDbContext.Organizations)).SelectMany(s => s.Value));
        await using (var op = await database.OperationAsync(planManager.Principal))
        {
            Assert.False(await op.Db.Assessments.AnyAsync(a => a.Id == providerDraft.Id), "an unsubmitted draft of the provider must stay private");
        }

        Assert.DoesNotContain(world.Provider.Id, revoked.Where(s => s.Key != nameof(ToolkitDbContext.Organizations)).SelectMany(s => s.Value));
    }

    [Fact]
    public async Task Attendance_and_registrations_reach_their_own_organization_and_the_reviewers_and_nobody_sees_another_plans_private_call()
    {
        await using var database = await TestDatabase.CreateAsync();
        var world = await ArrangeAsync(database);
        var member = await database.Data.UserAsync(world.Plan, OrganizationRole.Contributor);
        var providerManager = await database.Data.UserAsync(world.Provider);
        var reviewer = await database.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);

        var plan = await ReachedByAsync(database, member.Principal);
        var provider = await ReachedByAsync(database, providerManager.Principal);
        var statewide = await ReachedByAsync(database, reviewer.Principal);
        await using var op = await database.OperationAsync(member.Principal);
        await using var statewideOp = await database.OperationAsync(reviewer.Principal);
        var reviewerSeesPrivate = await statewideOp.Db.Attendances.AnyAsync(a => a.EventId == world.OtherPlansPrivateCall)
            && await statewideOp.Db.EventRegistrations.AnyAsync(r => r.EventId == world.OtherPlansUpcomingPrivateCall);
        var memberSeesPrivate = await op.Db.Attendances.AnyAsync(a => a.EventId == world.OtherPlansPrivateCall)
            || await op.Db.EventRegistrations.AnyAsync(r => r.EventId == world.OtherPlansUpcomingPrivateCall);

        foreach (var set in new[] { nameof(ToolkitDbContext.Attendances), nameof(ToolkitDbContext.EventRegistrations) })
        {
            Assert.Equal([world.Plan.Id], plan[set]);
            Assert.Equal([world.Provider.Id], provider[set]);
            Assert.All(new[] { world.Plan.Id, world.OtherPlan.Id, world.Provider.Id }, org => Assert.Contains(org, statewide[set]));
        }

        Assert.False(memberSeesPrivate, "a plan's member must reach nothing of another plan's private call");
        Assert.True(reviewerSeesPrivate, "the reviewers reach every private call's attendance and registrations");
    }

    [Fact]
    public async Task A_partnership_reaches_both_sides_and_reviewers_a_joint_assessment_both_sides_and_reviewers_once_submitted()
    {
        await using var database = await TestDatabase.CreateAsync();
        var world = await ArrangeAsync(database);
        var partnership = await database.Data.PartnershipAsync(world.Plan, world.Provider, PartnershipStatus.Active);
        await database.Data.JointAssessmentAsync(partnership);
        var planManager = await database.Data.UserAsync(world.Plan);
        var providerManager = await database.Data.UserAsync(world.Provider);
        var otherPlanManager = await database.Data.UserAsync(world.OtherPlan);
        var otherProvider = await database.Data.ProviderAsync();
        var otherProviderManager = await database.Data.UserAsync(otherProvider);
        var reviewer = await database.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);

        var plan = await ReachedByAsync(database, planManager.Principal);
        var provider = await ReachedByAsync(database, providerManager.Principal);
        var otherPlan = await ReachedByAsync(database, otherPlanManager.Principal);
        var stranger = await ReachedByAsync(database, otherProviderManager.Principal);
        var statewide = await ReachedByAsync(database, reviewer.Principal);

        foreach (var set in new[] { nameof(ToolkitDbContext.Partnerships), nameof(PartnershipContact), nameof(PartnershipStatusChange) })
        {
            Assert.Contains(world.Provider.Id, plan[set]);
            Assert.Contains(world.Plan.Id, provider[set]);
            Assert.Contains(world.Plan.Id, statewide[set]);
            Assert.DoesNotContain(world.Plan.Id, otherPlan[set]);
            Assert.DoesNotContain(world.Plan.Id, stranger[set]);
        }

        // A joint section E in progress: both sides, nobody else, reviewers not before it is submitted.
        foreach (var set in new[] { nameof(ToolkitDbContext.JointAssessments), nameof(JointAnswer), nameof(JointNote), nameof(JointChange) })
        {
            Assert.Contains(world.Provider.Id, plan[set]);
            Assert.Contains(world.Plan.Id, provider[set]);
            Assert.DoesNotContain(world.Plan.Id, statewide[set]);
            Assert.DoesNotContain(world.Plan.Id, otherPlan[set]);
            Assert.DoesNotContain(world.Plan.Id, stranger[set]);
        }

        await database.Data.JointAssessmentAsync(await database.Data.PartnershipAsync(world.OtherPlan, world.Provider), submit: true);
        var afterSubmit = await ReachedByAsync(database, reviewer.Principal);
        foreach (var set in new[] { nameof(ToolkitDbContext.JointAssessments), nameof(JointAnswer), nameof(JointNote), nameof(JointChange) })
        {
            Assert.Contains(world.OtherPlan.Id, afterSubmit[set]);
            Assert.DoesNotContain(world.Plan.Id, afterSubmit[set]);
        }

        // The provider sees the plan it partners with by name, and nothing of its own assessments; a stranger not even the name.
        Assert.Contains(world.Plan.Id, provider[nameof(ToolkitDbContext.Organizations)]);
        Assert.DoesNotContain(world.Plan.Id, provider.Where(s => s.Key is not (nameof(ToolkitDbContext.Organizations) or nameof(ToolkitDbContext.Partnerships) or nameof(PartnershipContact) or nameof(PartnershipStatusChange)
            or nameof(ToolkitDbContext.JointAssessments) or nameof(JointAnswer) or nameof(JointNote) or nameof(JointChange))).SelectMany(s => s.Value));
        Assert.DoesNotContain(world.Plan.Id, stranger[nameof(ToolkitDbContext.Organizations)]);
        Assert.DoesNotContain(world.OtherPlan.Id, provider[nameof(ToolkitDbContext.Organizations)]);
        // Without a grant, the plan reaches none of the provider's submitted readiness.
        Assert.DoesNotContain(world.Provider.Id, plan[nameof(ToolkitDbContext.Submissions)]);
    }

    [Fact]
    public async Task Anonymous_unaffiliated_and_locked_users_and_contexts_no_operation_opened_reach_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        await ArrangeAsync(database);
        var stranger = await database.Data.UserAsync();
        var lockedReviewer = await database.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        await database.Data.StoredAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Id == lockedReviewer.Id);
            user.LockoutEnd = database.Time.GetUtcNow().AddHours(1);
            return await db.SaveChangesAsync();
        });

        var anonymous = await ReachedByAsync(database, new ClaimsPrincipal(new ClaimsIdentity()));
        var unaffiliated = await ReachedByAsync(database, stranger.Principal);
        var locked = await ReachedByAsync(database, lockedReviewer.Principal);
        var forgedSystem = await ReachedByAsync(database, TestData.Principal("system"));
        await using var unbound = database.UnboundContext();
        var noOperation = await OrganizationsReachedAsync(unbound);

        Assert.All([anonymous, unaffiliated, locked, forgedSystem, noOperation], reached => Assert.All(reached, set => Assert.Empty(set.Value)));
    }

    [Fact]
    public async Task A_context_acts_for_one_viewer_only()
    {
        await using var database = await TestDatabase.CreateAsync(seedDemo: false);
        var user = await database.Data.UserAsync();
        await using var op = await database.OperationAsync(user.Principal);

        Assert.Throws<InvalidOperationException>(() => op.Db.ActAs(Access.Viewer.System));
    }

    /// <summary>
    /// A newcomer who adds an entity holding an organization's data cannot forget the rule: every entity type with an
    /// organization key has an access filter, and every one that implements <see cref="IOrganizationOwned"/> is in the model.
    /// </summary>
    [Fact]
    public async Task Every_entity_that_holds_an_organizations_data_has_an_access_filter()
    {
        await using var database = await TestDatabase.CreateAsync(seedDemo: false);
        await using var db = database.UnboundContext();

        var entityTypes = db.Model.GetEntityTypes().ToList();
        var owned = entityTypes.Where(t =>
            typeof(IOrganizationOwned).IsAssignableFrom(t.ClrType)
            || t.ClrType == typeof(Organization)
            || t.GetProperties().Any(p => p.Name.EndsWith("OrganizationId", StringComparison.Ordinal)))
            .ToList();
        var ownedTypesInDomain = typeof(IOrganizationOwned).Assembly.GetTypes().Where(t => typeof(IOrganizationOwned).IsAssignableFrom(t) && !t.IsInterface);

        Assert.True(owned.Count >= 10);
        Assert.All(owned, t => Assert.True(t.GetDeclaredQueryFilters().Count > 0, $"{t.ClrType.Name} holds an organization's data but has no access filter"));
        Assert.All(ownedTypesInDomain, t => Assert.Contains(t, entityTypes.Select(e => e.ClrType)));
        Assert.True(entityTypes.Single(t => t.ClrType == typeof(Domain.Auditing.AuditEntry)).GetDeclaredQueryFilters().Count > 0);
    }

    [Fact]
    public async Task A_share_reaches_the_providers_section_B_only_even_in_a_round_that_held_more()
    {
        await using var database = await TestDatabase.CreateAsync();
        var world = await ArrangeAsync(database);
        var planManager = await database.Data.UserAsync(world.Plan);
        await database.Data.ShareReadinessAsync(world.Provider, world.Plan);

        // A round submitted before providers stopped assessing section E on their own: it also holds an E element.
        var (submission, e1) = await database.Data.StoredAsync(async db => (
            await db.Submissions.Where(s => s.AssessmentId == world.Readiness.Id).Select(s => s.Id).SingleAsync(),
            await db.Elements.Where(e => e.Code == "E1" && e.Section!.FrameworkVersionId == world.Readiness.FrameworkVersionId).Select(e => e.Id).SingleAsync()));
        var legacy = Guid.NewGuid();
        await database.Data.StoredAsync(db => db.Database.ExecuteSqlRawAsync(
            "INSERT INTO SubmittedElements (Id, SubmissionId, OrganizationId, ElementId, EvidenceNotes, EvidenceLinks, Priority, Version) VALUES ({0}, {1}, {2}, {3}, 'The provider''s own view of the partnership', '[]', 'None', {4})",
            legacy.ToString().ToUpperInvariant(), submission.ToString().ToUpperInvariant(), world.Provider.Id.ToString().ToUpperInvariant(),
            e1.ToString().ToUpperInvariant(), Guid.NewGuid().ToString().ToUpperInvariant()));

        await using var op = await database.OperationAsync(planManager.Principal);
        var reached = await op.Db.SubmittedElements.Where(e => e.SubmissionId == submission).Select(e => e.Id).ToListAsync();
        var stored = await database.Data.StoredAsync(db => db.SubmittedElements.Where(e => e.SubmissionId == submission).Select(e => e.Id).ToListAsync());

        Assert.Contains(legacy, stored);
        Assert.DoesNotContain(legacy, reached);
        Assert.Equal(stored.Count - 1, reached.Count);
    }
}
