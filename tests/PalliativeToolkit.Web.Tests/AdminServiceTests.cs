using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Admin;
using PalliativeToolkit.Web.Features.Team;

namespace PalliativeToolkit.Web.Tests;

/// <summary>Organizations and accounts are an administrator's job: checked in the service, whatever the page shows.</summary>
public class AdminServiceTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static readonly Uri Portal = new("http://localhost/");

    private AdminService Service => factory.Services.CreateScope().ServiceProvider.GetRequiredService<AdminService>();

    private TeamService Team => factory.Services.CreateScope().ServiceProvider.GetRequiredService<TeamService>();

    [Theory]
    [InlineData("manager")]
    [InlineData("reviewer")]
    public async Task Nobody_but_an_administrator_reads_or_changes_organizations_and_accounts(string account)
    {
        var principal = await factory.PrincipalAsync(account);
        var before = await CountsAsync();

        Assert.IsType<Failure.Refused>((await Service.OverviewAsync(principal)).Failure);
        var organization = await Service.SaveOrganizationAsync(principal, new SaveOrganizationCommand { Name = "Sneaky Plan", PlanModel = PlanModel.Cohs, CountyFips = [.. Domain.Organizations.CaliforniaCounties.Named("Yolo").Select(c => c.Fips)] });
        var invite = await Service.InviteUserAsync(principal, new InviteUserCommand { Email = "sneaky@example.org", DisplayName = "Sneaky", Administrator = true }, Portal);
        var user = await factory.UserIdAsync("viewer");
        var role = await Service.SetGlobalRoleAsync(principal, user, GlobalRoles.Administrator, granted: true);
        var locked = await Service.SetLockedAsync(principal, user, locked: true);

        Assert.All([organization.Message, invite.Message, role.Message, locked.Message], m => Assert.Equal("Only an administrator can do this.", m));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Bad_organization_input_is_refused_field_by_field_and_changes_nothing()
    {
        var admin = await factory.PrincipalAsync("admin");
        var before = await CountsAsync();

        var empty = await Service.SaveOrganizationAsync(admin, new SaveOrganizationCommand { Kind = OrganizationKind.ManagedCarePlan });
        var tooLong = await Service.SaveOrganizationAsync(admin, new SaveOrganizationCommand { Name = new string('x', 201), PlanModel = PlanModel.Gmc, CountyFips = [.. Domain.Organizations.CaliforniaCounties.Named("Sacramento").Select(c => c.Fips)] });
        var badKind = await Service.SaveOrganizationAsync(admin, new SaveOrganizationCommand { Name = "Odd", Kind = (OrganizationKind)42, CountyFips = [.. Domain.Organizations.CaliforniaCounties.Named("Yolo").Select(c => c.Fips)] });
        var taken = await Service.SaveOrganizationAsync(admin, new SaveOrganizationCommand { Name = "Golden Poppy Health Plan (demo)", PlanModel = PlanModel.Cohs, CountyFips = [.. Domain.Organizations.CaliforniaCounties.Named("Yolo").Select(c => c.Fips)] });
        var atlantis = await Service.SaveOrganizationAsync(admin, new SaveOrganizationCommand { Name = "Atlantis Health", PlanModel = PlanModel.Cohs, CountyFips = ["Atlantis", "06113"] });

        Assert.Equal("Choose counties from California's 58.", atlantis.ErrorFor(nameof(SaveOrganizationCommand.CountyFips)));
        Assert.Equal("Choose the counties served.", empty.ErrorFor(nameof(SaveOrganizationCommand.CountyFips)));
        Assert.NotNull(empty.ErrorFor(nameof(SaveOrganizationCommand.Name)));
        Assert.NotNull(empty.ErrorFor(nameof(SaveOrganizationCommand.PlanModel)));
        Assert.NotNull(empty.ErrorFor(nameof(SaveOrganizationCommand.CountyFips)));
        Assert.Equal("The name can be at most 200 characters.", tooLong.ErrorFor(nameof(SaveOrganizationCommand.Name)));
        Assert.NotNull(badKind.ErrorFor(nameof(SaveOrganizationCommand.Kind)));
        Assert.Equal("An organization named \"Golden Poppy Health Plan (demo)\" already exists (names are compared without regard to case).", taken.ErrorFor(nameof(SaveOrganizationCommand.Name)));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task An_edit_from_a_stale_page_is_refused_and_the_kind_never_changes()
    {
        var admin = await factory.PrincipalAsync("admin");
        var added = await Service.SaveOrganizationAsync(admin, new SaveOrganizationCommand { Name = "Lassen Peak Health (demo)", PlanModel = PlanModel.SinglePlan, CountyFips = [.. Domain.Organizations.CaliforniaCounties.Named("Lassen").Select(c => c.Fips)] });
        Assert.True(added.Succeeded, added.Message);

        var version = await factory.Data.StoredAsync(db => db.Organizations.Where(o => o.Id == added.Value).Select(o => o.Version).SingleAsync());
        var edit = new SaveOrganizationCommand { Id = added.Value, ExpectedVersion = version, Name = "Lassen Peak Health Plan (demo)", Kind = OrganizationKind.PalliativeCareProvider, PlanModel = PlanModel.Regional, CountyFips = [.. Domain.Organizations.CaliforniaCounties.Named("Lassen", "Modoc").Select(c => c.Fips)] };
        var saved = await Service.SaveOrganizationAsync(admin, edit);
        edit.Name = "Stale rename";
        var stale = await Service.SaveOrganizationAsync(admin, edit);

        Assert.True(saved.Succeeded, saved.Message);
        Assert.IsType<Failure.Conflict>(stale.Failure);
        await using var db = factory.NewContext();
        var organization = await db.Organizations.SingleAsync(o => o.Id == added.Value);
        Assert.Equal(("Lassen Peak Health Plan (demo)", OrganizationKind.ManagedCarePlan, PlanModel.Regional), (organization.Name, organization.Kind, organization.PlanModel));
        var adminId = await factory.UserIdAsync("admin");
        var audited = await db.AuditEntries.Where(a => a.EntityId == added.Value.ToString()).OrderBy(a => a.Id).Select(a => new { a.Action, a.UserId }).ToListAsync();
        Assert.Equal([("Added", adminId), ("Modified", adminId)], audited.Select(a => (a.Action, a.UserId)));
    }

    [Fact]
    public async Task An_invited_person_gets_the_account_the_membership_and_an_email_with_a_working_link()
    {
        var admin = await factory.PrincipalAsync("admin");
        var plan = await factory.OrganizationIdAsync("Bayshore");

        var result = await Service.InviteUserAsync(admin, new InviteUserCommand { Email = " jordan.lee@bayshore-demo.example.org ", DisplayName = "Jordan Lee", OrganizationId = plan, Role = OrganizationRole.Contributor }, Portal);

        Assert.True(result.Succeeded, result.Message);
        await using var db = factory.NewContext();
        var user = await db.Users.SingleAsync(u => u.Email == "jordan.lee@bayshore-demo.example.org");
        Assert.Null(user.PasswordHash);
        Assert.Equal(OrganizationRole.Contributor, (await db.Memberships.SingleAsync(m => m.UserId == user.Id)).Role);
        var email = await Mailbox.WaitForAsync(factory.MailFolder, user.Email!, "Your PalliativeToolkit account");
        var link = Mailbox.LinkIn(email);
        Assert.StartsWith("http://localhost/Account/ResetPassword?code=", link.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("Contributor of Bayshore", email.TextBody, StringComparison.Ordinal);
        var overview = (await Service.OverviewAsync(admin)).Value;
        Assert.Equal(AccountState.Invited, overview.Users.Single(u => u.Id == user.Id).State);
    }

    [Theory]
    [InlineData("", "A Name", "Email")]
    [InlineData("not-an-email", "A Name", "Email")]
    [InlineData("two@one.org, three@one.org", "A Name", "Email")]
    [InlineData("Name <name@plan.org>", "A Name", "Email")]
    [InlineData("name@nodot", "A Name", "Email")]
    [InlineData("manager@demo.palliativetoolkit.org", "Duplicate", "Email")]
    [InlineData("someone@plan.org", "", "DisplayName")]
    public async Task Bad_invitations_are_refused_next_to_the_field_and_create_nothing(string email, string name, string field)
    {
        var admin = await factory.PrincipalAsync("admin");
        var before = await CountsAsync();

        var result = await Service.InviteUserAsync(admin, new InviteUserCommand { Email = email, DisplayName = name, OrganizationId = await factory.OrganizationIdAsync("Golden Poppy") }, Portal);

        Assert.False(result.Succeeded);
        Assert.NotNull(result.ErrorFor(field));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task An_account_with_neither_organization_nor_global_role_is_refused()
    {
        var result = await Service.InviteUserAsync(await factory.PrincipalAsync("admin"), new InviteUserCommand { Email = "nobody@plan.org", DisplayName = "Nobody" }, Portal);

        Assert.Equal("Choose an organization, or give a global role: an account with neither would see nothing.", result.ErrorFor(nameof(InviteUserCommand.OrganizationId)));
    }

    [Fact]
    public async Task Memberships_are_added_changed_and_removed_and_audited_and_a_stale_page_changes_nothing()
    {
        var admin = await factory.PrincipalAsync("admin");
        var user = await factory.UserIdAsync("manager3");
        var sierra = await factory.OrganizationIdAsync("Sierra Vista");

        var added = await Service.SetMembershipAsync(admin, new SetMembershipCommand { UserId = user, OrganizationId = sierra, Role = OrganizationRole.Viewer });
        var shown = await MembershipVersionAsync(user, sierra);
        var changed = await Service.SetMembershipAsync(admin, new SetMembershipCommand { UserId = user, OrganizationId = sierra, ExpectedVersion = shown, Role = OrganizationRole.Manager });
        var staleChange = await Service.SetMembershipAsync(admin, new SetMembershipCommand { UserId = user, OrganizationId = sierra, ExpectedVersion = shown, Role = OrganizationRole.Viewer });
        var staleAdd = await Service.SetMembershipAsync(admin, new SetMembershipCommand { UserId = user, OrganizationId = sierra, Role = OrganizationRole.Viewer });
        var staleRemove = await Service.RemoveMembershipAsync(admin, user, sierra, shown);
        await using (var db = factory.NewContext())
        {
            Assert.Equal(OrganizationRole.Manager, (await db.Memberships.SingleAsync(m => m.UserId == user && m.OrganizationId == sierra)).Role);
        }

        var removed = await Service.RemoveMembershipAsync(admin, user, sierra, await MembershipVersionAsync(user, sierra));
        var removedAgain = await Service.RemoveMembershipAsync(admin, user, sierra, shown);
        var unknownUser = await Service.SetMembershipAsync(admin, new SetMembershipCommand { UserId = "no-such-user", OrganizationId = sierra });

        Assert.All([staleChange, staleAdd, staleRemove, removedAgain], r => Assert.IsType<Failure.Conflict>(r.Failure));
        Assert.All([added, changed, removed], r => Assert.True(r.Succeeded, r.Message));
        Assert.False(unknownUser.Succeeded);
        await using var check = factory.NewContext();
        Assert.False(await check.Memberships.AnyAsync(m => m.UserId == user && m.OrganizationId == sierra));
        var adminId = await factory.UserIdAsync("admin");
        var membershipId = await check.AuditEntries.Where(a => a.EntityType == nameof(Membership) && a.Action == "Added" && a.NewValues!.Contains(user) && a.NewValues.Contains(sierra.ToString()))
            .Select(a => a.EntityId).SingleAsync();
        var audited = await check.AuditEntries.Where(a => a.EntityType == nameof(Membership) && a.EntityId == membershipId && a.UserId == adminId)
            .OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
        Assert.Equal(["Added", "Modified", "Deleted"], audited);
    }

    [Fact]
    public async Task A_locked_account_cannot_log_in_and_an_administrator_cannot_lock_or_demote_themselves()
    {
        var admin = await factory.PrincipalAsync("admin");
        var provider = await factory.UserIdAsync("provider2");
        var signedIn = await factory.PrincipalAsync("provider2");
        var teamBefore = (await Team.GetAsync(signedIn)).Value;

        var locked = await Service.SetLockedAsync(admin, provider, locked: true);
        var teamWhileLocked = (await Team.GetAsync(signedIn)).Value;
        var login = await PortalFactory.PostLoginAsync(factory.CreateClient(new() { AllowAutoRedirect = false }), "provider2", PortalFactory.Password);
        var unlocked = await Service.SetLockedAsync(admin, provider, locked: false);
        var loginAgain = await PortalFactory.PostLoginAsync(factory.CreateClient(new() { AllowAutoRedirect = false }), "provider2", PortalFactory.Password);
        var self = await factory.UserIdAsync("admin");
        var lockSelf = await Service.SetLockedAsync(admin, self, locked: true);
        var demoteSelf = await Service.SetGlobalRoleAsync(admin, self, GlobalRoles.Administrator, granted: false);
        var noSuchRole = await Service.SetGlobalRoleAsync(admin, provider, "Superuser", granted: true);

        Assert.True(locked.Succeeded && unlocked.Succeeded);
        Assert.NotEmpty(teamBefore);
        Assert.Empty(teamWhileLocked); // the cookie still says signed in, but the lock applies at once
        Assert.Equal(HttpStatusCode.OK, login.StatusCode); // the login page again, as for any failed attempt
        Assert.Contains("Invalid login attempt.", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, loginAgain.StatusCode);
        Assert.DoesNotContain("Lockout", loginAgain.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("You cannot lock your own account.", lockSelf.Message);
        Assert.StartsWith("You cannot take the Administrator role from yourself", demoteSelf.Message, StringComparison.Ordinal);
        Assert.Equal("There is no such role.", noSuchRole.Message);
    }

    [Fact]
    public async Task A_reviewer_role_taken_away_applies_at_once_and_granting_a_role_keeps_a_pending_invitation_valid()
    {
        var admin = await factory.PrincipalAsync("admin");
        var invited = await Service.InviteUserAsync(admin, new InviteUserCommand { Email = "kim.reviewer@statewide-demo.example.org", DisplayName = "Kim Reviewer", StatewideReviewer = true }, Portal);
        Assert.True(invited.Succeeded, invited.Message);
        string kim;
        await using (var db = factory.NewContext())
        {
            kim = await db.Users.Where(u => u.Email == "kim.reviewer@statewide-demo.example.org").Select(u => u.Id).SingleAsync();
        }

        var statewide = factory.Services.CreateScope().ServiceProvider.GetRequiredService<Features.Statewide.StatewideService>();
        var kimsCookie = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new(System.Security.Claims.ClaimTypes.NameIdentifier, kim), new(System.Security.Claims.ClaimTypes.Role, GlobalRoles.StatewideReviewer)], "Identity.Application"));

        // A reviewer reads statewide work once they have set up their second factor.
        Assert.IsType<Failure.Refused>((await statewide.LatestSubmittedAsync(kimsCookie)).Failure);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>();
            await Authenticator.EnrolAsync(scope.ServiceProvider, (await users.FindByIdAsync(kim))!);
        }

        var stampBefore = await StampAsync(kim);
        Assert.True((await statewide.LatestSubmittedAsync(kimsCookie)).Succeeded);

        var granted = await Service.SetGlobalRoleAsync(admin, kim, GlobalRoles.Administrator, granted: true);
        Assert.True(granted.Succeeded, granted.Message);
        Assert.Equal(stampBefore, await StampAsync(kim));

        var removed = await Service.SetGlobalRoleAsync(admin, kim, GlobalRoles.StatewideReviewer, granted: false);
        await Service.SetGlobalRoleAsync(admin, kim, GlobalRoles.Administrator, granted: false);
        Assert.True(removed.Succeeded, removed.Message);
        Assert.NotEqual(stampBefore, await StampAsync(kim));
        Assert.IsType<Failure.Refused>((await statewide.LatestSubmittedAsync(kimsCookie)).Failure);
    }

    private async Task<Guid> MembershipVersionAsync(string userId, Guid organizationId)
    {
        await using var db = factory.NewContext();
        return await db.Memberships.Where(m => m.UserId == userId && m.OrganizationId == organizationId).Select(m => m.Version).SingleAsync();
    }

    private async Task<string?> StampAsync(string userId)
    {
        await using var db = factory.NewContext();
        return await db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleAsync();
    }

    [Theory]
    [InlineData("GOLDEN POPPY HEALTH PLAN (DEMO)")]
    [InlineData("  golden poppy health plan (demo) ")]
    public async Task An_organization_name_that_differs_only_in_case_or_spaces_is_refused_next_to_the_name(string name)
    {
        var admin = await factory.PrincipalAsync("admin");
        var before = await CountsAsync();

        var taken = await Service.SaveOrganizationAsync(admin, new SaveOrganizationCommand { Name = name, PlanModel = PlanModel.Cohs, CountyFips = [.. Domain.Organizations.CaliforniaCounties.Named("Yolo").Select(c => c.Fips)] });

        Assert.Equal(AdminService.OrganizationNameTaken(name), taken.ErrorFor(nameof(SaveOrganizationCommand.Name)));
        Assert.StartsWith($"An organization named \"{name.Trim()}\" already exists", taken.ErrorFor(nameof(SaveOrganizationCommand.Name)), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    /// <summary>The check before saving can be outrun; the unique index on the normalized name then answers the same message, never a 500.</summary>
    [Fact]
    public async Task Administrators_adding_the_same_name_in_different_cases_at_once_get_one_organization_and_the_message()
    {
        var admin = await factory.PrincipalAsync("admin");
        var name = $"Race Plan {Guid.NewGuid():N}";
        var variants = new[] { name, name.ToUpperInvariant(), name.ToLowerInvariant(), " " + name, name + " ", name.ToUpperInvariant() + " " };
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var saves = variants.Select(v => Task.Run(async () =>
        {
            await go.Task;
            return (Name: v, Outcome: await Service.SaveOrganizationAsync(admin, new SaveOrganizationCommand { Name = v, PlanModel = PlanModel.Cohs, CountyFips = [.. Domain.Organizations.CaliforniaCounties.Named("Yolo").Select(c => c.Fips)] }));
        })).ToList();
        go.SetResult();
        var results = await Task.WhenAll(saves);

        Assert.Single(results, r => r.Outcome.Succeeded);
        Assert.All(results.Where(r => !r.Outcome.Succeeded), r => Assert.Equal(AdminService.OrganizationNameTaken(r.Name), r.Outcome.ErrorFor(nameof(SaveOrganizationCommand.Name))));
        var normalized = name.ToUpperInvariant();
        var stored = await factory.Data.StoredAsync(db => db.Organizations.Where(o => o.NormalizedName == normalized).CountAsync());
        Assert.Equal(1, stored);
    }

    [Fact]
    public async Task An_invitation_to_an_address_that_differs_only_in_case_from_an_account_is_refused_with_a_message()
    {
        var admin = await factory.PrincipalAsync("admin");
        var organization = await factory.OrganizationIdAsync("Golden Poppy");
        var before = await CountsAsync();

        var result = await Service.InviteUserAsync(admin, new InviteUserCommand { Email = $"Manager@{PortalFactory.Domain.ToUpperInvariant()}", DisplayName = "Second Manager", OrganizationId = organization, Role = OrganizationRole.Manager }, Portal);

        Assert.Equal("An account with this email address already exists.", result.ErrorFor(nameof(InviteUserCommand.Email)));
        Assert.Equal(before, await CountsAsync());
    }

    private async Task<(int Organizations, int Users, int Memberships)> CountsAsync()
    {
        await using var db = factory.NewContext();
        return (await db.Organizations.CountAsync(), await db.Users.CountAsync(), await db.Memberships.CountAsync());
    }
}
