using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Admin;
using PalliativeToolkit.Web.Features.Common;
using PalliativeToolkit.Web.Features.Statewide;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// Administrators and statewide reviewers must have a second factor: without one they are sent to set it up (every
/// request, every page's policy) and their role gives them nothing in the services.
/// </summary>
public class SecondFactorTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string Enrol = "/Account/Manage/EnableAuthenticator";

    private AdminService Admin => factory.Services.CreateScope().ServiceProvider.GetRequiredService<AdminService>();

    private async Task<TestUser> WithoutSecondFactorAsync(string role) =>
        await factory.Data.UserAsync(globalRole: role, withPassword: true, secondFactor: false);

    private async Task<bool> TwoFactorEnabledAsync(string userId)
    {
        await using var db = factory.NewContext();
        return await db.Users.Where(u => u.Id == userId).Select(u => u.TwoFactorEnabled).SingleAsync();
    }

    private async Task<HttpClient> PasswordOnlyClientAsync(TestUser user)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var login = await PortalFactory.PostLoginAsync(client, user.Email, TestUser.Password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.DoesNotContain("Account/", login.Headers.Location!.OriginalString, StringComparison.Ordinal);
        return client;
    }

    [Theory]
    [InlineData("/statewide")]
    [InlineData("/admin")]
    [InlineData("/assessments")]
    [InlineData("/")]
    [InlineData("/Account/Manage")]
    [InlineData("/Account/Manage/Passkeys")]
    public async Task A_reviewer_without_a_second_factor_is_redirected_to_set_one_up_instead_of_the_page(string page)
    {
        var reviewer = await WithoutSecondFactorAsync(GlobalRoles.StatewideReviewer);
        var client = await PasswordOnlyClientAsync(reviewer);

        var response = await client.GetAsync(page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"{Enrol}?returnUrl={Uri.EscapeDataString(page)}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Someone_who_must_enrol_still_gets_the_enrolment_page_static_files_and_health()
    {
        var admin = await WithoutSecondFactorAsync(GlobalRoles.Administrator);
        var client = await PasswordOnlyClientAsync(admin);

        var enrolment = await client.GetStringAsync(Enrol);

        Assert.Contains("Administrators and statewide reviewers must use a second factor", enrolment, StringComparison.Ordinal);
        Assert.Contains("<kbd>", enrolment, StringComparison.Ordinal);
        Assert.Contains("Log out", enrolment, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/app.css")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null)).StatusCode);
    }

    [Fact]
    public async Task After_enrolling_the_reviewer_reaches_the_statewide_page()
    {
        var reviewer = await WithoutSecondFactorAsync(GlobalRoles.StatewideReviewer);
        var client = await PasswordOnlyClientAsync(reviewer);

        var (_, codes) = await Authenticator.EnrolOverHttpAsync(client, $"{Enrol}?returnUrl=%2Fstatewide", factory.Services.GetRequiredService<TimeProvider>());

        Assert.Contains("recovery-code", codes, StringComparison.Ordinal);
        Assert.Contains("href=\"/statewide\"", codes, StringComparison.Ordinal);
        Assert.True(await TwoFactorEnabledAsync(reviewer.Id));
        var statewide = await client.GetAsync("/statewide");
        Assert.Equal(HttpStatusCode.OK, statewide.StatusCode);
    }

    [Theory]
    [InlineData("/assessments")]
    [InlineData("/team")]
    [InlineData("/Account/Manage")]
    public async Task A_plain_organization_manager_is_not_sent_to_enrol(string page)
    {
        var plan = await factory.Data.PlanAsync();
        var manager = await factory.Data.UserAsync(plan, withPassword: true);
        var client = await PasswordOnlyClientAsync(manager);

        var response = await client.GetAsync(page);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_administrator_without_a_second_factor_is_refused_administrator_operations_until_enrolled()
    {
        var admin = await WithoutSecondFactorAsync(GlobalRoles.Administrator);
        var reviewer = await WithoutSecondFactorAsync(GlobalRoles.StatewideReviewer);

        var overview = await Admin.OverviewAsync(admin.Principal);
        var statewide = await factory.Services.CreateScope().ServiceProvider.GetRequiredService<StatewideService>().LatestSubmittedAsync(reviewer.Principal);

        Assert.IsType<Failure.Refused>(overview.Failure);
        Assert.IsType<Failure.Refused>(statewide.Failure);

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            await Authenticator.EnrolAsync(scope.ServiceProvider, (await users.FindByIdAsync(admin.Id))!);
        }

        Assert.True((await Admin.OverviewAsync(admin.Principal)).Succeeded);
    }

    [Fact]
    public async Task The_permission_policies_refuse_a_signed_in_administrator_without_a_second_factor_as_the_interactive_router_asks()
    {
        var without = await WithoutSecondFactorAsync(GlobalRoles.Administrator);
        var with = await factory.Data.UserAsync(globalRole: GlobalRoles.Administrator);
        var authorization = factory.Services.CreateScope().ServiceProvider.GetRequiredService<IAuthorizationService>();
        var page = new RouteData(typeof(AdminPage), new Dictionary<string, object?>());

        Assert.False((await authorization.AuthorizeAsync(without.Principal, page, Policies.Administer)).Succeeded);
        Assert.False((await authorization.AuthorizeAsync(without.Principal, null, Policies.Administer)).Succeeded);
        var signedIn = await factory.Services.GetRequiredService<IAuthorizationPolicyProvider>().GetDefaultPolicyAsync();
        Assert.False((await authorization.AuthorizeAsync(without.Principal, page, signedIn)).Succeeded);
        Assert.True((await authorization.AuthorizeAsync(without.Principal, null, signedIn)).Succeeded);
        Assert.True((await authorization.AuthorizeAsync(with.Principal, page, Policies.Administer)).Succeeded);
    }

    [Fact]
    public async Task An_administrator_cannot_turn_off_their_second_factor()
    {
        var admin = await factory.Data.UserAsync(globalRole: GlobalRoles.Administrator, withPassword: true);
        var client = await factory.SignedInClientAsync(admin.Email, TestUser.Password);

        var page = await client.GetStringAsync("/Account/Manage/Disable2fa");
        Assert.Contains("must keep a second factor, so it cannot be turned off for your account", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Disable 2FA</button>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Account/Manage/Disable2fa\"", await client.GetStringAsync("/Account/Manage/TwoFactorAuthentication"), StringComparison.Ordinal);

        // The form posted anyway (its antiforgery token taken from the page) is refused and changes nothing.
        var fields = HtmlForm.HiddenFields(page);
        fields["_handler"] = "disable-2fa";
        using var form = new FormUrlEncodedContent(fields);
        var posted = await client.PostAsync("/Account/Manage/Disable2fa", form);

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.True(await TwoFactorEnabledAsync(admin.Id));
    }

    [Fact]
    public async Task A_manager_turns_their_own_second_factor_off_as_before()
    {
        var plan = await factory.Data.PlanAsync();
        var manager = await factory.Data.UserAsync(plan, withPassword: true);
        var client = await PasswordOnlyClientAsync(manager);
        await Authenticator.EnrolOverHttpAsync(client, Enrol, factory.Services.GetRequiredService<TimeProvider>());
        Assert.True(await TwoFactorEnabledAsync(manager.Id));

        var fields = HtmlForm.HiddenFields(await client.GetStringAsync("/Account/Manage/Disable2fa"));
        fields["_handler"] = "disable-2fa";
        using var form = new FormUrlEncodedContent(fields);
        var posted = await client.PostAsync("/Account/Manage/Disable2fa", form);

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.False(await TwoFactorEnabledAsync(manager.Id));
    }

    [Fact]
    public async Task A_role_granted_by_an_administrator_sends_its_holder_to_enrol_at_their_next_request()
    {
        var plan = await factory.Data.PlanAsync();
        var manager = await factory.Data.UserAsync(plan, withPassword: true);
        var client = await PasswordOnlyClientAsync(manager);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/assessments")).StatusCode);

        var granted = await Admin.SetGlobalRoleAsync(await factory.PrincipalAsync("admin"), manager.Id, GlobalRoles.StatewideReviewer, granted: true);
        Assert.True(granted.Succeeded, granted.Message);

        var next = await client.GetAsync("/assessments");
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith(Enrol, next.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrator_resets_someones_lost_second_factor_and_they_enrol_again_at_their_next_sign_in()
    {
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer, withPassword: true);
        var admin = await factory.PrincipalAsync("admin");
        var listed = (await Admin.OverviewAsync(admin)).Value!.Users.Single(u => u.Id == reviewer.Id);
        Assert.True(listed.HasSecondFactor);

        var reset = await Admin.ResetSecondFactorAsync(admin, reviewer.Id);
        var self = await Admin.ResetSecondFactorAsync(admin, await factory.UserIdAsync("admin"));

        Assert.True(reset.Succeeded, reset.Message);
        Assert.IsType<Failure.Refused>(self.Failure);
        Assert.False(await TwoFactorEnabledAsync(reviewer.Id));
        var client = await PasswordOnlyClientAsync(reviewer);
        var next = await client.GetAsync("/statewide");
        Assert.StartsWith(Enrol, next.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var enrolment = await client.GetStringAsync(Enrol);
        Assert.DoesNotContain(Authenticator.Key.ToLowerInvariant()[..4] + " " + Authenticator.Key.ToLowerInvariant()[4..8], enrolment, StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_name_that_is_not_a_global_role_stops_start_up()
    {
        using var portal = factory.WithWebHostBuilder(b => b.UseSetting("TwoFactor:RequiredForRoles:0", "Administrators"));

        var failure = Assert.ThrowsAny<Exception>(() => portal.Services).GetBaseException().Message;

        Assert.Contains("TwoFactor:RequiredForRoles", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_rule_reads_the_database_once_for_a_page_load_and_again_after_the_account_changes()
    {
        var user = await factory.Data.UserAsync(await factory.Data.PlanAsync(), secondFactor: false);
        var rule = factory.Services.GetRequiredService<SecondFactorRule>();

        int firstCommands, againCommands, afterGrantCommands;
        bool before, after;
        using (var counter = CommandCounter.Start())
        {
            before = await rule.MustEnrolAsync(user.Id, TestContext.Current.CancellationToken);
            firstCommands = counter.Count;
            await rule.MustEnrolAsync(user.Id, TestContext.Current.CancellationToken);
            await rule.MustEnrolAsync(user.Id, TestContext.Current.CancellationToken);
            againCommands = counter.Count - firstCommands;
        }

        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            await users.AddToRoleAsync((await users.FindByIdAsync(user.Id))!, GlobalRoles.StatewideReviewer);
        }

        using (var counter = CommandCounter.Start())
        {
            after = await rule.MustEnrolAsync(user.Id, TestContext.Current.CancellationToken);
            afterGrantCommands = counter.Count;
        }

        Assert.False(before);
        Assert.Equal(1, firstCommands);
        Assert.Equal(0, againCommands);
        Assert.True(after);
        Assert.Equal(1, afterGrantCommands);
    }
}
