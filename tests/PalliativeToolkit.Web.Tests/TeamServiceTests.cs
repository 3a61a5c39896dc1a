using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Admin;
using PalliativeToolkit.Web.Features.Team;

namespace PalliativeToolkit.Web.Tests;

/// <summary>Managers manage the people of their own organization, and nothing else.</summary>
public class TeamServiceTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static readonly Uri Portal = new("http://localhost/");

    private TeamService Service => factory.Services.CreateScope().ServiceProvider.GetRequiredService<TeamService>();

    [Fact]
    public async Task Members_see_the_people_of_their_own_organizations_only()
    {
        var viewer = (await Service.GetAsync(await factory.PrincipalAsync("viewer"))).Value;
        var reviewer = (await Service.GetAsync(await factory.PrincipalAsync("reviewer"))).Value;

        var golden = Assert.Single(viewer);
        Assert.StartsWith("Golden Poppy", golden.Name, StringComparison.Ordinal);
        Assert.False(golden.CanManage);
        Assert.Contains(golden.Members, m => m.Email == $"manager@{PortalFactory.Domain}" && m.Role == OrganizationRole.Manager);
        Assert.Single(golden.Members, m => m.IsYou);
        Assert.DoesNotContain(golden.Members, m => m.Email.StartsWith("manager2@", StringComparison.Ordinal));
        Assert.StartsWith("Statewide", Assert.Single(reviewer).Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manager_invites_a_new_colleague_who_gets_an_account_and_an_email()
    {
        var plan = await factory.OrganizationIdAsync("Golden Poppy");

        var result = await Service.AddAsync(await factory.PrincipalAsync("manager"), new AddTeamMemberCommand { OrganizationId = plan, Email = "sam.ortiz@goldenpoppy-demo.example.org", DisplayName = "Sam Ortiz", Role = OrganizationRole.Viewer }, Portal);

        Assert.True(result.Succeeded, result.Message);
        var email = await Mailbox.WaitForAsync(factory.MailFolder, "sam.ortiz@goldenpoppy-demo.example.org", "Your PalliativeToolkit account");
        Assert.Contains("Viewer of Golden Poppy", email.TextBody, StringComparison.Ordinal);
        var team = (await Service.GetAsync(await factory.PrincipalAsync("manager"))).Value;
        var sam = team.Single(o => o.Id == plan).Members.Single(m => m.DisplayName == "Sam Ortiz");
        Assert.Equal((OrganizationRole.Viewer, AccountState.Invited), (sam.Role, sam.State));
    }

    [Fact]
    public async Task An_existing_account_is_not_enrolled_by_a_manager_who_is_sent_to_an_administrator()
    {
        var plan = await factory.OrganizationIdAsync("Golden Poppy");
        var before = await MembershipsAsync();
        var users = await UserCountAsync();

        var result = await Service.AddAsync(await factory.PrincipalAsync("manager"), new AddTeamMemberCommand { OrganizationId = plan, Email = $"provider3@{PortalFactory.Domain}", DisplayName = "Anyone", Role = OrganizationRole.Viewer }, Portal);

        Assert.Equal("This address already has an account. Ask an administrator to add it to Golden Poppy Health Plan (demo).", result.ErrorFor(nameof(AddTeamMemberCommand.Email)));
        Assert.DoesNotContain("Parker", result.ErrorFor(nameof(AddTeamMemberCommand.Email)), StringComparison.Ordinal);
        Assert.Equal(before, await MembershipsAsync());
        Assert.Equal(users, await UserCountAsync());
    }

    [Fact]
    public async Task Adding_someone_already_in_the_team_names_them_and_changes_nothing()
    {
        var before = await MembershipsAsync();

        var result = await Service.AddAsync(await factory.PrincipalAsync("manager"), new AddTeamMemberCommand { OrganizationId = await factory.OrganizationIdAsync("Golden Poppy"), Email = $" VIEWER@{PortalFactory.Domain} ", DisplayName = "Val again" }, Portal);

        Assert.Equal("Val Viewer already belongs to Golden Poppy Health Plan (demo).", result.ErrorFor(nameof(AddTeamMemberCommand.Email)));
        Assert.Equal(before, await MembershipsAsync());
    }

    [Theory]
    [InlineData("contributor", "Golden Poppy")]
    [InlineData("viewer", "Golden Poppy")]
    [InlineData("manager", "Sierra Vista")]
    [InlineData("reviewer", "Sierra Vista")]
    public async Task Nobody_but_the_organizations_manager_changes_its_people(string account, string organization)
    {
        var principal = await factory.PrincipalAsync(account);
        var target = await factory.OrganizationIdAsync(organization);
        var someone = await MemberOfAsync(target, OrganizationRole.Manager);
        var before = await MembershipsAsync();

        var add = await Service.AddAsync(principal, new AddTeamMemberCommand { OrganizationId = target, Email = "intruder@example.org", DisplayName = "Intruder" }, Portal);
        var role = await Service.SetRoleAsync(principal, target, someone, Guid.Empty, OrganizationRole.Viewer);
        var remove = await Service.RemoveAsync(principal, target, someone, Guid.Empty);

        Assert.All([add.Message, role.Message, remove.Message], m => Assert.Equal("Only a manager of this organization can change its people.", m));
        Assert.Equal(before, await MembershipsAsync());
        await using var db = factory.NewContext();
        Assert.False(await db.Users.AnyAsync(u => u.Email == "intruder@example.org", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_manager_changes_and_removes_colleagues_but_not_themselves_nor_outsiders()
    {
        var manager = await factory.PrincipalAsync("manager4");
        var plan = await factory.OrganizationIdAsync("Central Coast");
        var self = await factory.UserIdAsync("manager4");
        var outsider = await factory.UserIdAsync("manager2");
        var invited = await Service.AddAsync(manager, new AddTeamMemberCommand { OrganizationId = plan, Email = "lee.park@centralcoast-demo.example.org", DisplayName = "Lee Park", Role = OrganizationRole.Viewer }, Portal);
        Assert.True(invited.Succeeded, invited.Message);
        var shown = ((await Service.GetAsync(manager)).Value).Single(o => o.Id == plan).Members.Single(m => m.DisplayName == "Lee Park");
        var colleague = shown.UserId;

        var promoted = await Service.SetRoleAsync(manager, plan, colleague, shown.Version, OrganizationRole.Contributor);
        var stale = await Service.SetRoleAsync(manager, plan, colleague, shown.Version, OrganizationRole.Manager);
        var demoteSelf = await Service.SetRoleAsync(manager, plan, self, Guid.Empty, OrganizationRole.Viewer);
        var removeSelf = await Service.RemoveAsync(manager, plan, self, Guid.Empty);
        var outsiderRole = await Service.SetRoleAsync(manager, plan, outsider, Guid.Empty, OrganizationRole.Manager);
        var badRole = await Service.SetRoleAsync(manager, plan, colleague, shown.Version, (OrganizationRole)9);
        var current = ((await Service.GetAsync(manager)).Value).Single(o => o.Id == plan).Members.Single(m => m.UserId == colleague);
        var removed = await Service.RemoveAsync(manager, plan, colleague, current.Version);

        Assert.True(promoted.Succeeded, promoted.Message);
        Assert.IsType<Failure.Conflict>(stale.Failure);
        Assert.Equal(OrganizationRole.Contributor, current.Role);
        Assert.StartsWith("You cannot change your own membership", demoteSelf.Message, StringComparison.Ordinal);
        Assert.StartsWith("You cannot change your own membership", removeSelf.Message, StringComparison.Ordinal);
        Assert.Equal("This person does not belong to the organization.", outsiderRole.Message);
        Assert.Equal("Choose a role.", badRole.Message);
        Assert.True(removed.Succeeded, removed.Message);
        await using var db = factory.NewContext();
        Assert.False(await db.Memberships.AnyAsync(m => m.OrganizationId == plan && (m.UserId == outsider || m.UserId == colleague), TestContext.Current.CancellationToken));
        Assert.Equal(OrganizationRole.Manager, (await db.Memberships.SingleAsync(m => m.OrganizationId == plan && m.UserId == self, TestContext.Current.CancellationToken)).Role);
    }

    [Theory]
    [InlineData("", "Name", "Email")]
    [InlineData("bad@", "Name", "Email")]
    [InlineData("ok@plan.org", "", "DisplayName")]
    public async Task Bad_input_is_refused_next_to_the_field(string email, string name, string field)
    {
        var result = await Service.AddAsync(await factory.PrincipalAsync("manager"), new AddTeamMemberCommand { OrganizationId = await factory.OrganizationIdAsync("Golden Poppy"), Email = email, DisplayName = name }, Portal);

        Assert.NotNull(result.ErrorFor(field));
    }

    private async Task<int> UserCountAsync()
    {
        await using var db = factory.NewContext();
        return await db.Users.CountAsync();
    }

    private async Task<List<(string, Guid, OrganizationRole)>> MembershipsAsync()
    {
        await using var db = factory.NewContext();
        return (await db.Memberships.AsNoTracking().ToListAsync()).Select(m => (m.UserId, m.OrganizationId, m.Role)).Order().ToList();
    }

    private async Task<string> MemberOfAsync(Guid organizationId, OrganizationRole role)
    {
        await using var db = factory.NewContext();
        return await db.Memberships.Where(m => m.OrganizationId == organizationId && m.Role == role).Select(m => m.UserId).FirstAsync();
    }
}
