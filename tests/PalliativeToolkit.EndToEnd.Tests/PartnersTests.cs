using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PalliativeToolkit.Domain.Organizations;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>
/// Partners and readiness as their users meet them: Golden Poppy's manager closes its county gap with a new active
/// partner; Redwood Grove's manager revokes and gives back its readiness while the plan's page is open; a statewide
/// reviewer finds providers' submitted readiness and the partner network.
/// </summary>
public class PartnersTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    private const string Plan = "Golden Poppy Health Plan (demo)";
    private const string Redwood = "Redwood Grove Hospice & Palliative Care (demo)";
    private const string ValleyOak = "Valley Oak Home Health Palliative Program (demo)";

    private readonly BrowserFixture _browser = browser;

    private async Task ChooseAsync(string testId, params string[] options)
    {
        await Page.GetByTestId(testId).ClickAsync();
        foreach (var option in options)
        {
            await Page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
        }

        if (options.Length != 1 || testId is "partner-counties" or "partner-services")
        {
            // Escape closes only when pressed in the select: after a click on an option the focus comes back to it only
            // when the server's focus() arrives, so pressing Escape on the page could go nowhere and leave the list open.
            await Page.GetByTestId(testId).PressAsync("Escape");
        }

        // The choice has reached the server and come back before the next step (the select shows it, closed). A
        // multi-select shows its choices as soon as they are clicked, before the server has handled Escape. While its list
        // is open MudSelect takes the focus back whenever it loses it, and closing it focuses it once more; that focus()
        // reaches the page just before the list disappears. A person's click elsewhere lands on the list's overlay and
        // closes it first, but Playwright's fill focuses the field directly: unless the list is gone, the focus() can land
        // between fill focusing a field and inserting its text, so the text goes to the select and the field keeps its old
        // value (once: "Contact 1: email" still showed the refused address and the click sent it again).
        foreach (var option in options)
        {
            await Expect(Page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true })).ToHaveCountAsync(0);
        }

        var select = Page.GetByTestId(testId);
        var isInput = await select.EvaluateAsync<bool>("e => e.tagName === 'INPUT'");
        foreach (var option in options.Where(o => !o.StartsWith("Every ", StringComparison.Ordinal)))
        {
            var shown = new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(option));
            await (isInput ? Expect(select).ToHaveValueAsync(shown) : Expect(select).ToContainTextAsync(shown));
        }
    }

    [Fact]
    public async Task A_plan_manager_adds_a_partner_and_sees_the_county_gap_close()
    {
        await LogInAsync("manager");
        await OpenAsync("partners");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = $"{Plan}: palliative care partners" })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("coverage-gaps")).ToHaveTextAsync($"1 of {Plan}'s 3 counties has no active partner: Solano.");
        var map = Page.GetByTestId("plan-partners").GetByRole(AriaRole.Region, new() { Name = $"{Plan}'s counties by active partner, county by county" });
        await Expect(map.Locator("[data-county-row=Solano]")).ToContainTextAsync("No active partner");
        await Expect(map.Locator("[data-county-row=Sonoma]")).ToContainTextAsync($"Active partner — {Redwood}");
        await AssertAccessibleAsync();

        // Filters narrow the table.
        await ChooseAsync("filter-status", "Prospective");
        await Expect(Page.GetByTestId("partners").Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(Page.GetByTestId("partners")).ToContainTextAsync("Harborlight");
        await ChooseAsync("filter-status", "Every status");
        await ChooseAsync("filter-county", "Sonoma");
        await Expect(Page.GetByTestId("partners").Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(Page.GetByTestId("partners")).ToContainTextAsync(Redwood);
        await ChooseAsync("filter-county", "Every county");

        // Bad input is explained next to each field, and adds nothing.
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add a partner" }).ClickAsync();
        var form = Page.GetByTestId("partner-form");
        await form.GetByLabel("Monthly referral capacity").FillAsync("-3");
        await form.GetByLabel("Contract start").FillAsync("2026-06-01");
        await form.GetByLabel("Contract end").FillAsync("2026-05-01");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add a contact" }).ClickAsync();
        await form.GetByLabel("Email").FillAsync("not-an-address");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add partner" }).ClickAsync();
        await Expect(form.GetByText("Choose the provider, or invite a new one.")).ToBeVisibleAsync();
        await Expect(form.GetByText("Choose the counties served under this partnership.")).ToBeVisibleAsync();
        await Expect(form.GetByText("The monthly referral capacity is a whole number, 0 or more.")).ToBeVisibleAsync();
        await Expect(form.GetByText("The contract's end date must be on or after its start date.")).ToBeVisibleAsync();
        await Expect(form.GetByText("Enter the person's name.")).ToBeVisibleAsync();
        await Expect(form.GetByText("Enter a valid email address, for example name@plan.org.")).ToBeVisibleAsync();
        await AssertAccessibleAsync();

        // Valley Oak, active, in Solano: the gap closes.
        await ChooseAsync("partner-provider", ValleyOak);
        await ChooseAsync("partner-status", "Active");
        await ChooseAsync("partner-counties", "Solano");
        await ChooseAsync("partner-services", "Home visits", "Telehealth");
        await form.GetByLabel("Monthly referral capacity").FillAsync("15");
        await form.GetByLabel("Contract end").FillAsync("2027-12-31");
        await form.GetByLabel("Contact 1: name").FillAsync("Jordan Lee");
        await form.GetByLabel("Email").FillAsync("jordan.lee@valleyoak-demo.example.org");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add partner" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = ValleyOak, Level = 1 })).ToBeVisibleAsync();
        await WaitInteractiveAsync();
        var terms = Page.GetByTestId("partnership-terms");
        await Expect(terms).ToContainTextAsync("Solano");
        await Expect(terms).ToContainTextAsync("Home visits, Telehealth");
        await Expect(terms).ToContainTextAsync("2026-06-01 to 2027-12-31");
        await Expect(Page.GetByTestId("contacts")).ToContainTextAsync("Jordan Lee");
        await Expect(Page.GetByTestId("status-history")).ToContainTextAsync("Active");
        await Expect(Page.GetByTestId("readiness-none")).ToContainTextAsync($"{ValleyOak} has not shared its readiness with {Plan}.");
        await AssertAccessibleAsync();

        await Page.GetByRole(AriaRole.Link, new() { Name = "Partners", Exact = true }).First.ClickAsync();
        await Expect(Page.GetByTestId("coverage-gaps")).ToHaveTextAsync($"Every one of {Plan}'s 3 counties has an active partner.");
        await Expect(map.Locator("[data-county-row=Solano]")).ToContainTextAsync($"Active partner — {ValleyOak}");

        // Ending the partnership keeps it, with its history, and reopens the gap.
        await Page.GetByTestId("partners").GetByRole(AriaRole.Row).Filter(new() { HasText = ValleyOak }).GetByRole(AriaRole.Link).ClickAsync();
        await WaitInteractiveAsync();
        await ChooseAsync("new-status", "Ended");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Record status change" }).ClickAsync();
        await Expect(Page.GetByTestId("status-history").Locator("li")).ToHaveCountAsync(2);
        await Expect(Page.GetByTestId("status-history").Locator("li").Last).ToContainTextAsync("Ended");
        var stored = await App.Data.StoredAsync(db => db.Partnerships.Include(p => p.History).SingleAsync(p => p.Provider!.Name == ValleyOak && p.Plan!.Name == Plan));
        Assert.Equal([PartnershipStatus.Active, PartnershipStatus.Ended], stored.History.Select(h => h.Status));
    }

    [Fact]
    public async Task A_plan_manager_invites_a_provider_new_to_the_portal_and_edits_the_partnerships_terms()
    {
        const string NewProvider = "Coastal Bluff Palliative Care (test)";
        const string Email = "ana.reyes@coastal-bluff.example.org";
        await LogInAsync("manager");
        await OpenAsync("partners");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add a partner" }).ClickAsync();
        var form = Page.GetByTestId("partner-form");
        await form.GetByRole(AriaRole.Radio, new() { Name = "Invite a provider that is not in the portal yet" }).CheckAsync();
        await form.GetByLabel("Provider organization's name").FillAsync(NewProvider);
        await form.GetByLabel("Its manager's name").FillAsync("Ana Reyes");
        await form.GetByLabel("Its manager's email").FillAsync(Email);
        await ChooseAsync("partner-status", "Contracting");
        await ChooseAsync("partner-counties", "Napa");
        await AssertAccessibleAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Add partner" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = NewProvider, Level = 1 })).ToBeVisibleAsync();
        await WaitInteractiveAsync();
        var email = await Testing.Mailbox.WaitForAsync(App.MailFolder, Email, "Your PalliativeToolkit account");
        Assert.Contains($"Manager of {NewProvider}, partner of {Plan}", email.TextBody, StringComparison.Ordinal);

        // The terms are edited in place; a capacity that is not a whole number of 0 or more is refused next to it.
        await Page.GetByRole(AriaRole.Button, new() { Name = "Edit terms" }).ClickAsync();
        form = Page.GetByTestId("partner-form");
        await form.GetByLabel("Monthly referral capacity").FillAsync("-1");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save terms" }).ClickAsync();
        await Expect(form.GetByText("The monthly referral capacity is a whole number, 0 or more.")).ToBeVisibleAsync();
        await form.GetByLabel("Monthly referral capacity").FillAsync("8");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save terms" }).ClickAsync();
        await Expect(Page.GetByTestId("partnership-terms").Locator("dd").Nth(3)).ToHaveTextAsync("8");

        // Text that is not a number, pasted over the capacity, is refused next to the field and stays there to be mended;
        // the 8 is not cleared (a number field had read such text as no capacity, and saved that).
        await Page.GetByRole(AriaRole.Button, new() { Name = "Edit terms" }).ClickAsync();
        form = Page.GetByTestId("partner-form");
        await form.GetByLabel("Monthly referral capacity").FillAsync("about ten");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save terms" }).ClickAsync();
        await Expect(form.GetByText("Enter the monthly referral capacity as a whole number, such as 12, or leave it empty.")).ToBeVisibleAsync();
        await Expect(form.GetByLabel("Monthly referral capacity")).ToHaveValueAsync("about ten");
        await AssertAccessibleAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(Page.GetByTestId("partnership-terms").Locator("dd").Nth(3)).ToHaveTextAsync("8");
        Assert.Equal(8, await App.Data.StoredAsync(db => db.Partnerships.Where(p => p.Provider!.Name == NewProvider).Select(p => p.MonthlyReferralCapacity).SingleAsync()));
    }

    [Fact]
    public async Task Terms_saved_in_two_windows_keep_what_each_typed_and_let_the_second_choose_mine_or_theirs()
    {
        // A plan of its own: a partnership of the demo's plan would close the county gap other tests of this class read.
        var plan = await App.Data.PlanAsync($"Foothill Health Plan {Guid.NewGuid().ToString("N")[..4]} (test)");
        var manager = await App.Data.UserAsync(plan, withPassword: true);
        var provider = await App.Data.ProviderAsync($"Sierra Foothills Palliative Care {Guid.NewGuid().ToString("N")[..4]} (test)");
        var partnership = await App.Data.PartnershipAsync(plan, provider);
        await LogInAsync(Page, manager.Email, Testing.TestUser.Password);
        var first = Page;
        var second = await Page.Context.NewPageAsync();
        foreach (var window in new[] { first, second })
        {
            await window.GotoAsync($"partners/{partnership.Id}");
            await window.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await window.GetByRole(AriaRole.Button, new() { Name = "Edit terms" }).ClickAsync();
        }

        async Task SaveCapacityAsync(IPage window, string capacity)
        {
            var form = window.GetByTestId("partner-form");
            await form.GetByLabel("Monthly referral capacity").FillAsync(capacity);
            await form.GetByRole(AriaRole.Button, new() { Name = "Save terms" }).ClickAsync();
        }

        Task<int?> StoredCapacityAsync() => App.Data.StoredAsync(db => db.Partnerships.Where(p => p.Id == partnership.Id).Select(p => p.MonthlyReferralCapacity).SingleAsync());

        // The second window saves first; the first, saving after, is told, keeps its 12, and sees their 30 beside it.
        await SaveCapacityAsync(second, "30");
        await Expect(second.GetByTestId("partnership-terms").Locator("dd").Nth(3)).ToHaveTextAsync("30");
        await SaveCapacityAsync(first, "12");
        var conflict = first.GetByTestId("terms-conflict");
        await Expect(conflict).ToContainTextAsync("Someone else changed this partnership after you opened this form, so your terms were not saved.");
        await Expect(conflict.GetByTestId("terms-theirs").Locator("dd").Nth(3)).ToHaveTextAsync("30");
        await Expect(first.GetByTestId("partner-form").GetByLabel("Monthly referral capacity")).ToHaveValueAsync("12");
        Assert.Equal(30, await StoredCapacityAsync());
        await AssertAccessibleAsync(first);

        // Taking theirs puts their terms in the form, to go on from there.
        await conflict.GetByRole(AriaRole.Button, new() { Name = "Use their terms" }).ClickAsync();
        await Expect(first.GetByTestId("terms-conflict")).ToHaveCountAsync(0);
        await Expect(first.GetByTestId("partner-form").GetByLabel("Monthly referral capacity")).ToHaveValueAsync("30");
        await SaveCapacityAsync(first, "31");
        await Expect(first.GetByTestId("partnership-terms").Locator("dd").Nth(3)).ToHaveTextAsync("31");

        // The second window, now behind, edits again; keeping its own saves it over the newer terms it was shown.
        await second.GetByRole(AriaRole.Button, new() { Name = "Edit terms" }).ClickAsync();
        await SaveCapacityAsync(second, "45");
        await Expect(second.GetByTestId("terms-theirs").Locator("dd").Nth(3)).ToHaveTextAsync("31");
        Assert.Equal(31, await StoredCapacityAsync());
        await second.GetByTestId("terms-conflict").GetByRole(AriaRole.Button, new() { Name = "Keep mine" }).ClickAsync();
        await Expect(second.GetByTestId("partnership-terms").Locator("dd").Nth(3)).ToHaveTextAsync("45");
        Assert.Equal(45, await StoredCapacityAsync());
    }

    [Fact]
    public async Task A_provider_revokes_its_readiness_and_the_plans_open_page_loses_it_at_once_then_shares_it_again()
    {
        // The plan's manager has Redwood Grove's page open, with the readiness it shares.
        await LogInAsync("manager");
        await OpenAsync("partners");
        await Page.GetByTestId("partners").GetByRole(AriaRole.Row).Filter(new() { HasText = Redwood }).GetByRole(AriaRole.Link).ClickAsync();
        await WaitInteractiveAsync();
        var readiness = Page.GetByTestId("shared-readiness");
        await Expect(readiness.GetByTestId("readiness-summary")).ToContainTextAsync("latest submitted readiness: cycle");
        await Expect(readiness.GetByTestId("readiness-summary")).ToContainTextAsync("Change since cycle");
        await Expect(readiness.GetByTestId("readiness-elements").Locator("tbody tr")).ToHaveCountAsync(6);
        // And, in another tab, the readiness itself, from the page's link; an earlier cycle's is not part of the share, not
        // even by its address.
        var link = readiness.GetByTestId("readiness-open");
        var readinessAddress = await link.GetAttributeAsync("href");
        var readinessId = Guid.Parse(readinessAddress!.Split('/')[^1]);
        var readinessTab = await Page.Context.NewPageAsync();
        await readinessTab.GotoAsync(readinessAddress);
        await readinessTab.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(readinessTab.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(Redwood);
        var earlierId = await App.Data.StoredAsync(db => db.Assessments.Where(a => a.Organization!.Name == Redwood && a.Round > 0 && a.Id != readinessId).Select(a => a.Id).FirstAsync());
        var earlier = await Page.Context.NewPageAsync();
        Assert.Equal(404, (await earlier.GotoAsync($"assessments/{earlierId}"))!.Status);
        await earlier.CloseAsync();

        // Redwood Grove's manager, in another browser, revokes the share.
        await using var context = await _browser.Browser.NewContextAsync(new() { BaseURL = App.BaseUrl });
        context.SetDefaultTimeout(15_000);
        var provider = await context.NewPageAsync();
        await LogInAsync(provider, "provider");
        await provider.GotoAsync("readiness");
        await provider.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var row = provider.GetByTestId("shares").GetByRole(AriaRole.Row).Filter(new() { HasText = Plan });
        await Expect(row).ToContainTextAsync("Shared since");
        await AssertAccessibleAsync(provider);
        await row.GetByRole(AriaRole.Button, new() { Name = $"Revoke the share with {Plan}" }).ClickAsync();
        await Expect(provider.GetByRole(AriaRole.Status)).ToContainTextAsync($"{Plan} no longer sees your readiness.");
        await Expect(row).ToContainTextAsync("Not shared (revoked");

        // The plan's open page loses it without a reload, and by its id too.
        await Expect(readiness.GetByTestId("readiness-none")).ToContainTextAsync($"{Redwood} has not shared its readiness with {Plan}.");
        await Expect(readiness.GetByTestId("readiness-elements")).ToHaveCountAsync(0);
        await Expect(readinessTab.GetByRole(AriaRole.Heading, new() { Level = 1, Name = Redwood })).ToHaveCountAsync(0);
        await Expect(readinessTab.GetByTestId("not-found")).ToBeVisibleAsync();
        await Expect(readinessTab.Locator("[data-element]")).ToHaveCountAsync(0);
        await readinessTab.CloseAsync();
        var response = await Page.GotoAsync($"assessments/{readinessId}");
        Assert.Equal(404, response!.Status);

        // Shared again, it is back.
        await row.GetByRole(AriaRole.Button, new() { Name = $"Share with {Plan}" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Shared since");
        await OpenAsync($"assessments/{readinessId}");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(Redwood);
    }

    [Fact]
    public async Task A_provider_sees_the_plans_it_partners_with_and_starts_its_readiness()
    {
        await LogInAsync("provider4");
        await OpenAsync("partners");
        var plans = Page.GetByTestId("partner-plans");
        await Expect(plans.GetByRole(AriaRole.Row).Filter(new() { HasText = "Central Coast Unity Health Plan (demo)" })).ToContainTextAsync("Active");
        await plans.GetByRole(AriaRole.Link).First.ClickAsync();
        await WaitInteractiveAsync();
        await Expect(Page.GetByTestId("partnership-terms")).ToContainTextAsync("San Diego");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Edit terms" })).ToHaveCountAsync(0);
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Record status change" })).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("shared-readiness")).ToContainTextAsync("Not shared with Central Coast Unity Health Plan (demo).");
        await AssertAccessibleAsync();

        await OpenAsync("readiness");
        await Expect(Page.GetByTestId("readiness-assessments")).ToContainTextAsync("Submitted");
        await Expect(Page.GetByTestId("shares")).ToContainTextAsync("Not shared");
        await AssertAccessibleAsync();
    }

    [Fact]
    public async Task A_reviewer_finds_a_providers_submitted_readiness_and_the_partner_network()
    {
        await LogInAsync("reviewer");
        await OpenAsync("statewide");
        var providers = Page.GetByTestId("provider-submissions");
        await Expect(providers.GetByRole(AriaRole.Row).Filter(new() { HasText = Redwood })).ToBeVisibleAsync();
        await Expect(providers).Not.ToContainTextAsync("Harborlight");

        var network = Page.GetByTestId("partner-network");
        await Expect(network.GetByTestId("network-plans").GetByRole(AriaRole.Row).Filter(new() { HasText = Plan })).ToContainTextAsync("Solano");
        await Expect(network.GetByTestId("network-providers").GetByRole(AriaRole.Row).Filter(new() { HasText = ValleyOak }))
            .ToContainTextAsync("Central Coast Unity Health Plan (demo) (ended)");
        await Expect(network.Locator("[data-county-row=Solano]")).ToContainTextAsync("A plan without an active partner");
        await AssertAccessibleAsync();

        await providers.GetByRole(AriaRole.Row).Filter(new() { HasText = Redwood }).GetByRole(AriaRole.Link, new() { Name = $"Review {Redwood}" }).ClickAsync();
        await WaitInteractiveAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(Redwood);
        await Expect(Page.Locator("[data-element=B1]")).ToBeVisibleAsync();
        await Expect(Page.Locator("[data-element=A1]")).ToHaveCountAsync(0);
    }
}
