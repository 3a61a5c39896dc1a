using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Assessments;
using PalliativeToolkit.Web.Features.Common;
using PalliativeToolkit.Web.Features.Partners;

namespace PalliativeToolkit.Web.Tests;

/// <summary>A plan's manager keeps its provider partners; members read them; the provider reads what concerns it; nobody else.</summary>
public class PartnerServiceTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static readonly Uri Portal = new("http://localhost/");

    private PartnerService Service => factory.Services.CreateScope().ServiceProvider.GetRequiredService<PartnerService>();

    /// <summary>Today in California: the day partnership dates are recorded in (not the UTC date, a day ahead every evening).</summary>
    private static DateTime Today => CaliforniaTime.Today(TimeProvider.System).ToDateTime(TimeOnly.MinValue);

    private async Task<(Organization Plan, TestUser Manager, Organization Provider)> PlanAndProviderAsync()
    {
        var plan = await factory.Data.PlanAsync(counties: "Fresno,Madera,Kings");
        var manager = await factory.Data.UserAsync(plan);
        var provider = await factory.Data.ProviderAsync();
        return (plan, manager, provider);
    }

    private static SavePartnershipCommand Add(Organization plan, Organization provider, params string[] counties) => new()
    {
        PlanOrganizationId = plan.Id,
        ProviderOrganizationId = provider.Id,
        Status = PartnershipStatus.Contracting,
        StatusSince = Today.AddDays(-3),
        CountyFips = CaliforniaCounties.Named(counties.Length == 0 ? ["Fresno"] : counties).Select(c => c.Fips).ToList(),
        Services = [CareService.HomeVisits, CareService.PhoneLine247],
        ContractStart = Today.AddDays(-3),
        ContractEnd = Today.AddYears(2),
        MonthlyReferralCapacity = 20,
        Contacts = [new ContactInput { Side = PartnerSide.Provider, Name = "Rosa Diaz", Title = "Intake lead", Email = "rosa@provider.example.org", Phone = "(559) 555-0100 x12" }],
    };

    [Fact]
    public async Task A_manager_adds_a_partner_whose_terms_status_and_history_the_page_reads_back()
    {
        var (plan, manager, provider) = await PlanAndProviderAsync();

        var added = await Service.SaveAsync(manager.Principal, Add(plan, provider, "Fresno", "Madera"), Portal);

        Assert.True(added.Succeeded, added.Message);
        var detail = (await Service.GetPartnerAsync(manager.Principal, added.Value.Id)).Value;
        Assert.Equal((plan.Name, provider.Name, PartnershipStatus.Contracting, DateOnly.FromDateTime(Today.AddDays(-3))),
            (detail.Row.PlanName, detail.Row.ProviderName, detail.Row.Status, detail.Row.StatusSince));
        Assert.Equal("Fresno, Madera", detail.Row.Counties);
        Assert.Equal([CareService.HomeVisits, CareService.PhoneLine247], detail.Row.Services);
        Assert.Equal(20, detail.Row.MonthlyReferralCapacity);
        Assert.Equal(new PartnerContact(PartnerSide.Provider, "Rosa Diaz", "Intake lead", "rosa@provider.example.org", "(559) 555-0100 x12"), Assert.Single(detail.Contacts));
        var history = Assert.Single(detail.History);
        Assert.Equal((PartnershipStatus.Contracting, manager.DisplayName), (history.Status, history.RecordedBy));
        Assert.True(detail.CanManage);
        var view = (await Service.GetAsync(manager.Principal)).Value;
        Assert.Contains(view.Providers, p => p.Id == provider.Id);
        Assert.Single(view.AsPlan, r => r.ProviderId == provider.Id);
    }

    [Fact]
    public async Task Status_changes_are_dated_kept_in_order_and_an_ended_partnership_keeps_its_history()
    {
        var (plan, manager, provider) = await PlanAndProviderAsync();
        var id = (await Service.SaveAsync(manager.Principal, Add(plan, provider), Portal)).Value.Id;
        var version = (await Service.GetPartnerAsync(manager.Principal, id)).Value.Version;

        var active = await Service.ChangeStatusAsync(manager.Principal, new ChangePartnershipStatusCommand { Id = id, ExpectedVersion = version, Status = PartnershipStatus.Active, EffectiveOn = Today.AddDays(-1) });
        var stale = await Service.ChangeStatusAsync(manager.Principal, new ChangePartnershipStatusCommand { Id = id, ExpectedVersion = version, Status = PartnershipStatus.Ended, EffectiveOn = Today });
        version = (await Service.GetPartnerAsync(manager.Principal, id)).Value.Version;
        var backwards = await Service.ChangeStatusAsync(manager.Principal, new ChangePartnershipStatusCommand { Id = id, ExpectedVersion = version, Status = PartnershipStatus.Ended, EffectiveOn = Today.AddDays(-10) });
        var future = await Service.ChangeStatusAsync(manager.Principal, new ChangePartnershipStatusCommand { Id = id, ExpectedVersion = version, Status = PartnershipStatus.Ended, EffectiveOn = Today.AddDays(5) });
        var ended = await Service.ChangeStatusAsync(manager.Principal, new ChangePartnershipStatusCommand { Id = id, ExpectedVersion = version, Status = PartnershipStatus.Ended, EffectiveOn = Today });

        Assert.True(active.Succeeded, active.Message);
        Assert.IsType<Failure.Conflict>(stale.Failure);
        Assert.Contains("before the current status", backwards.ErrorFor(nameof(ChangePartnershipStatusCommand.EffectiveOn)), StringComparison.Ordinal);
        Assert.Contains("future", future.ErrorFor(nameof(ChangePartnershipStatusCommand.EffectiveOn)), StringComparison.Ordinal);
        Assert.True(ended.Succeeded, ended.Message);
        var detail = (await Service.GetPartnerAsync(manager.Principal, id)).Value;
        Assert.Equal([PartnershipStatus.Contracting, PartnershipStatus.Active, PartnershipStatus.Ended], detail.History.Select(h => h.Status));
        Assert.Equal(PartnershipStatus.Ended, detail.Row.Status);
    }

    [Fact]
    public async Task Bad_terms_are_refused_next_to_their_fields_and_change_nothing()
    {
        var (plan, manager, provider) = await PlanAndProviderAsync();
        var bad = Add(plan, provider);
        bad.ContractEnd = bad.ContractStart!.Value.AddDays(-1);
        bad.MonthlyReferralCapacity = -4;
        bad.CountyFips = ["06999"];
        bad.StatusSince = Today.AddDays(3);
        bad.Contacts = [new ContactInput { Side = PartnerSide.Plan, Name = "", Email = "not an email", Phone = "call me" }];
        var outside = Add(plan, provider, "Alameda");
        var farOff = Add(plan, provider);
        farOff.ContractStart = new DateTime(1, 1, 1);
        farOff.ContractEnd = new DateTime(9999, 12, 31);
        var longAgo = Add(plan, provider);
        longAgo.StatusSince = new DateTime(1, 1, 1);

        var refused = await Service.SaveAsync(manager.Principal, bad, Portal);
        var notInArea = await Service.SaveAsync(manager.Principal, outside, Portal);
        var implausible = await Service.SaveAsync(manager.Principal, farOff, Portal);
        var tooEarly = await Service.SaveAsync(manager.Principal, longAgo, Portal);

        Assert.Equal("The contract's end date must be on or after its start date.", refused.ErrorFor(nameof(SavePartnershipCommand.ContractEnd)));
        Assert.Equal("The monthly referral capacity is a whole number, 0 or more.", refused.ErrorFor(nameof(SavePartnershipCommand.MonthlyReferralCapacity)));
        Assert.Equal("Choose counties from California's 58.", refused.ErrorFor(nameof(SavePartnershipCommand.CountyFips)));
        Assert.NotNull(refused.ErrorFor(nameof(SavePartnershipCommand.StatusSince)));
        Assert.Equal("Enter the person's name.", refused.ErrorFor("Contacts[0].Name"));
        Assert.Equal("Enter a valid email address, for example name@plan.org.", refused.ErrorFor("Contacts[0].Email"));
        Assert.NotNull(refused.ErrorFor("Contacts[0].Phone"));
        Assert.Contains("Alameda is not in", notInArea.ErrorFor(nameof(SavePartnershipCommand.CountyFips)), StringComparison.Ordinal);
        Assert.Equal("Choose a date between the years 2000 and 2100.", implausible.ErrorFor(nameof(SavePartnershipCommand.ContractStart)));
        Assert.Equal("Choose a date between the years 2000 and 2100.", implausible.ErrorFor(nameof(SavePartnershipCommand.ContractEnd)));
        Assert.Equal("Choose a date between the years 2000 and 2100.", tooEarly.ErrorFor(nameof(SavePartnershipCommand.StatusSince)));
        Assert.False(await factory.Data.StoredAsync(db => db.Partnerships.AnyAsync(p => p.PlanOrganizationId == plan.Id)));
    }

    [Fact]
    public async Task A_provider_is_partnered_once_per_plan_even_after_the_partnership_ended()
    {
        var (plan, manager, provider) = await PlanAndProviderAsync();
        var existing = await factory.Data.PartnershipAsync(plan, provider, PartnershipStatus.Ended);

        var again = await Service.SaveAsync(manager.Principal, Add(plan, provider), Portal);

        Assert.Contains("open that partnership and change its status", again.ErrorFor(nameof(SavePartnershipCommand.ProviderOrganizationId)), StringComparison.Ordinal);
        Assert.Equal(1, await factory.Data.StoredAsync(db => db.Partnerships.CountAsync(p => p.PlanOrganizationId == plan.Id)));
        Assert.NotEqual(Guid.Empty, existing.Id);
    }

    [Fact]
    public async Task A_manager_invites_a_new_provider_which_gets_its_organization_and_a_manager_account_by_email()
    {
        var (plan, manager, _) = await PlanAndProviderAsync();
        var command = Add(plan, await factory.Data.ProviderAsync());
        command.InviteNewProvider = true;
        command.ProviderOrganizationId = null;
        command.NewProviderName = "Sequoia Comfort Care (test)";
        command.NewProviderManagerName = "Lee Park";
        command.NewProviderManagerEmail = "lee.park@sequoia-comfort.example.org";

        var added = await Service.SaveAsync(manager.Principal, command, Portal);
        var twice = await Service.SaveAsync(manager.Principal, command, Portal);

        Assert.True(added.Succeeded, added.Message);
        var email = await Mailbox.WaitForAsync(factory.MailFolder, "lee.park@sequoia-comfort.example.org", "Your PalliativeToolkit account");
        Assert.Contains("Manager of Sequoia Comfort Care (test), partner of", email.TextBody, StringComparison.Ordinal);
        var stored = await factory.Data.StoredAsync(db => db.Organizations.Include(o => o.Memberships).SingleAsync(o => o.Name == "Sequoia Comfort Care (test)"));
        Assert.Equal(OrganizationKind.PalliativeCareProvider, stored.Kind);
        Assert.Equal(OrganizationRole.Manager, Assert.Single(stored.Memberships).Role);
        Assert.Equal(stored.Id, (await Service.GetPartnerAsync(manager.Principal, added.Value.Id)).Value.Row.ProviderId);
        Assert.Contains("already in the portal", twice.ErrorFor(nameof(SavePartnershipCommand.NewProviderName)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_plans_manager_changes_partners_and_strangers_reach_nothing_by_id()
    {
        var (plan, manager, provider) = await PlanAndProviderAsync();
        var partnership = await factory.Data.PartnershipAsync(plan, provider);
        var contributor = await factory.Data.UserAsync(plan, OrganizationRole.Contributor);
        var providerManager = await factory.Data.UserAsync(provider);
        var otherPlan = await factory.Data.PlanAsync();
        var otherManager = await factory.Data.UserAsync(otherPlan);

        var byContributor = await Service.SaveAsync(contributor.Principal, Add(plan, await factory.Data.ProviderAsync()), Portal);
        var byProvider = await Service.ChangeStatusAsync(providerManager.Principal, new ChangePartnershipStatusCommand { Id = partnership.Id, ExpectedVersion = partnership.Version, Status = PartnershipStatus.Ended, EffectiveOn = Today });
        var byStranger = await Service.ChangeStatusAsync(otherManager.Principal, new ChangePartnershipStatusCommand { Id = partnership.Id, ExpectedVersion = partnership.Version, Status = PartnershipStatus.Ended, EffectiveOn = Today });
        var strangerReads = await Service.GetPartnerAsync(otherManager.Principal, partnership.Id);
        var providerReads = await Service.GetPartnerAsync(providerManager.Principal, partnership.Id);
        var contributorReads = await Service.GetPartnerAsync(contributor.Principal, partnership.Id);

        Assert.IsType<Failure.Refused>(byContributor.Failure);
        Assert.IsType<Failure.Refused>(byProvider.Failure);
        Assert.IsType<Failure.NotFound>(byStranger.Failure);
        Assert.IsType<Failure.NotFound>(strangerReads.Failure);
        Assert.True(providerReads.Succeeded);
        Assert.False(providerReads.Value.CanManage);
        Assert.True(providerReads.Value.ViewerIsProvider);
        Assert.False(contributorReads.Value.CanManage);
        Assert.DoesNotContain((await Service.GetAsync(otherManager.Principal)).Value.AsPlan, r => r.Id == partnership.Id);
        Assert.Single((await Service.GetAsync(providerManager.Principal)).Value.AsProvider, r => r.Id == partnership.Id);
        Assert.Equal(PartnershipStatus.Active, await factory.Data.StoredAsync(db => db.Partnerships.Where(p => p.Id == partnership.Id).Select(p => p.Status).SingleAsync()));
    }

    [Fact]
    public async Task A_plan_reads_a_partners_readiness_only_while_it_is_shared_and_never_another_plans_share()
    {
        var (plan, manager, provider) = await PlanAndProviderAsync();
        var partnership = await factory.Data.PartnershipAsync(plan, provider);
        var otherPlan = await factory.Data.PlanAsync();
        await factory.Data.PartnershipAsync(otherPlan, provider);
        var otherManager = await factory.Data.UserAsync(otherPlan);
        await factory.Data.AssessmentAsync(provider, "2025", Answer.NotMet, submit: true);
        var latest = await factory.Data.AssessmentAsync(provider, "2026", Answer.Met, submit: true);
        await factory.Data.AssessmentAsync(provider, "2027", Answer.Met);
        var readiness = factory.Services.CreateScope().ServiceProvider.GetRequiredService<ReadinessService>();
        var providerManager = await factory.Data.UserAsync(provider);

        var before = (await Service.GetPartnerAsync(manager.Principal, partnership.Id)).Value;
        var shared = await readiness.ShareAsync(providerManager.Principal, provider.Id, plan.Id);
        var during = (await Service.GetPartnerAsync(manager.Principal, partnership.Id)).Value;
        var other = (await Service.GetPartnerAsync(otherManager.Principal, (await factory.Data.StoredAsync(db => db.Partnerships.SingleAsync(p => p.PlanOrganizationId == otherPlan.Id))).Id)).Value;
        var grant = (await readiness.GetAsync(providerManager.Principal)).Value.Single(p => p.Id == provider.Id).Plans.Single(p => p.PlanId == plan.Id);
        var revoked = await readiness.RevokeAsync(providerManager.Principal, provider.Id, grant.GrantId!.Value, grant.GrantVersion);
        var after = (await Service.GetPartnerAsync(manager.Principal, partnership.Id)).Value;

        Assert.Null(before.Readiness);
        Assert.True(shared.Succeeded, shared.Message);
        Assert.Equal(("2026", "2025"), (during.Readiness!.Cycle, during.Readiness.PreviousCycle));
        Assert.All(during.Readiness.Elements, e => Assert.StartsWith("B", e.Code, StringComparison.Ordinal));
        Assert.NotEmpty(during.Readiness.Elements);
        Assert.All(during.Readiness.Elements, e => Assert.Equal(LevelChange.Improved, e.Change));
        Assert.Null(other.Readiness);
        Assert.True(revoked.Succeeded, revoked.Message);
        Assert.Null(after.Readiness);
        Assert.False(after.ReadinessShared);
        Assert.NotEqual(Guid.Empty, latest.Id);
    }

    [Fact]
    public async Task A_shared_readiness_opens_at_its_latest_submitted_cycle_and_an_earlier_cycle_not_even_by_address()
    {
        var (plan, manager, provider) = await PlanAndProviderAsync();
        await factory.Data.PartnershipAsync(plan, provider);
        var earlier = await factory.Data.AssessmentAsync(provider, "2025", Answer.NotMet, submit: true);
        var latest = await factory.Data.AssessmentAsync(provider, "2026", Answer.Met, submit: true);
        var draft = await factory.Data.AssessmentAsync(provider, "2027", Answer.Met);
        await factory.Data.StoredAsync(db => db.SubmittedElements.Where(e => db.Submissions.Any(s => s.Id == e.SubmissionId && s.AssessmentId == earlier.Id))
            .ExecuteUpdateAsync(u => u.SetProperty(e => e.EvidenceNotes, "Earlier cycle's evidence: the 2025 staffing plan.")));
        await factory.Data.ShareReadinessAsync(provider, plan);
        var providerMember = await factory.Data.UserAsync(provider, OrganizationRole.Contributor);
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var assessments = factory.Services.CreateScope().ServiceProvider.GetRequiredService<AssessmentService>();

        var shared = await assessments.GetAsync(manager.Principal, latest.Id);
        var earlierByAddress = await assessments.GetAsync(manager.Principal, earlier.Id);
        var draftByAddress = await assessments.GetAsync(manager.Principal, draft.Id);

        Assert.True(shared.Succeeded, shared.Message);
        Assert.Equal("2026", shared.Value.Cycle);
        Assert.Equal("2025", shared.Value.PreviousCycle?.Cycle);
        // Beside it, the earlier cycle's answers (the change), never its evidence; the provider's own people read both.
        var sharedPrevious = shared.Value.Sections.SelectMany(s => s.Elements).Select(e => e.Previous!).ToList();
        Assert.NotEmpty(sharedPrevious);
        Assert.All(sharedPrevious, p => Assert.Equal((false, "", 0), (p.EvidenceShown, p.EvidenceNotes, p.EvidenceLinks.Count)));
        Assert.All(shared.Value.Sections.SelectMany(s => s.Elements), e => Assert.Equal(LevelChange.Improved, e.Change));
        var own = (await assessments.GetAsync(providerMember.Principal, latest.Id)).Value.Sections.SelectMany(s => s.Elements).Select(e => e.Previous!).ToList();
        Assert.All(own, p => Assert.Equal((true, "Earlier cycle's evidence: the 2025 staffing plan."), (p.EvidenceShown, p.EvidenceNotes)));
        Assert.IsType<Failure.NotFound>(earlierByAddress.Failure);
        Assert.IsType<Failure.NotFound>(draftByAddress.Failure);
        Assert.True((await assessments.GetAsync(providerMember.Principal, earlier.Id)).Succeeded);
        Assert.True((await assessments.GetAsync(reviewer.Principal, earlier.Id)).Succeeded);
    }

    [Fact]
    public async Task Readiness_is_shared_by_the_providers_manager_with_partner_plans_only()
    {
        var (plan, _, provider) = await PlanAndProviderAsync();
        var stranger = await factory.Data.PlanAsync();
        await factory.Data.PartnershipAsync(plan, provider);
        var readiness = factory.Services.CreateScope().ServiceProvider.GetRequiredService<ReadinessService>();
        var contributor = await factory.Data.UserAsync(provider, OrganizationRole.Contributor);
        var providerManager = await factory.Data.UserAsync(provider);

        var byContributor = await readiness.ShareAsync(contributor.Principal, provider.Id, plan.Id);
        var withStranger = await readiness.ShareAsync(providerManager.Principal, provider.Id, stranger.Id);
        var once = await readiness.ShareAsync(providerManager.Principal, provider.Id, plan.Id);
        var twice = await readiness.ShareAsync(providerManager.Principal, provider.Id, plan.Id);

        Assert.IsType<Failure.Refused>(byContributor.Failure);
        Assert.Contains("partner plans only", withStranger.Message, StringComparison.Ordinal);
        Assert.True(once.Succeeded, once.Message);
        Assert.Contains("already shared", twice.Message, StringComparison.Ordinal);
        Assert.Equal(1, await factory.Data.StoredAsync(db => db.ShareGrants.CountAsync(g => g.OwnerOrganizationId == provider.Id)));
    }

    [Fact]
    public async Task Ending_a_partnership_revokes_the_providers_share_and_readiness_is_shared_with_current_partners_only()
    {
        var (plan, manager, provider) = await PlanAndProviderAsync();
        var partnership = await factory.Data.PartnershipAsync(plan, provider);
        await factory.Data.ShareReadinessAsync(provider, plan);
        var readiness = factory.Services.CreateScope().ServiceProvider.GetRequiredService<ReadinessService>();
        var providerManager = await factory.Data.UserAsync(provider);
        var version = (await Service.GetPartnerAsync(manager.Principal, partnership.Id)).Value.Version;

        var ended = await Service.ChangeStatusAsync(manager.Principal, new ChangePartnershipStatusCommand { Id = partnership.Id, ExpectedVersion = version, Status = PartnershipStatus.Ended, EffectiveOn = Today });
        var again = await readiness.ShareAsync(providerManager.Principal, provider.Id, plan.Id);

        Assert.True(ended.Succeeded, ended.Message);
        Assert.False((await Service.GetPartnerAsync(manager.Principal, partnership.Id)).Value.ReadinessShared);
        Assert.Contains("has ended", again.Message, StringComparison.Ordinal);
        Assert.False(await factory.Data.StoredAsync(db => db.ShareGrants.AnyAsync(g => g.OwnerOrganizationId == provider.Id && g.RevokedAt == null)));
    }

    [Fact]
    public async Task The_database_holds_one_standing_share_per_provider_and_plan()
    {
        var (plan, _, provider) = await PlanAndProviderAsync();
        var first = await factory.Data.ShareReadinessAsync(provider, plan);

        await Assert.ThrowsAsync<DbUpdateException>(() => factory.Data.ShareReadinessAsync(provider, plan));
        await factory.Data.RevokeAsync(first.Id);
        await factory.Data.ShareReadinessAsync(provider, plan);

        Assert.Equal(2, await factory.Data.StoredAsync(db => db.ShareGrants.CountAsync(g => g.OwnerOrganizationId == provider.Id)));
    }
}
