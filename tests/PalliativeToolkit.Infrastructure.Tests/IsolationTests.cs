using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Seeding;

namespace PalliativeToolkit.Infrastructure.Tests;

public class IsolationTests
{
    private static ClaimsPrincipal Principal(string userId, params string[] roles) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, userId), .. roles.Select(r => new Claim(ClaimTypes.Role, r))],
            "test"));

    [Fact]
    public async Task A_plan_user_sees_only_their_own_organizations_assessments()
    {
        await using var database = await TestDatabase.CreateAsync();
        var managerId = await database.UserIdAsync($"manager@{DemoData.EmailDomain}");
        await using var db = database.NewContext();
        var user = await AccessScope.ForAsync(db, Principal(managerId), database.Time);

        var visible = await db.VisibleAssessments(user).ToListAsync();
        var ownOrg = Assert.Single(user.Memberships).Key;

        Assert.NotEmpty(visible);
        Assert.All(visible, a => Assert.Equal(ownOrg, a.OrganizationId));
        Assert.Equal(await db.Assessments.CountAsync(a => a.OrganizationId == ownOrg), visible.Count);
        Assert.Single(await db.VisibleOrganizations(user).ToListAsync());
    }

    [Fact]
    public async Task A_reviewer_sees_submitted_work_of_every_organization_but_no_draft()
    {
        await using var database = await TestDatabase.CreateAsync();
        var reviewerId = await database.UserIdAsync($"reviewer@{DemoData.EmailDomain}");
        await using var db = database.NewContext();
        var user = await AccessScope.ForAsync(db, Principal(reviewerId, GlobalRoles.StatewideReviewer), database.Time);

        var visible = await db.VisibleAssessments(user).ToListAsync();

        Assert.NotEmpty(visible);
        Assert.DoesNotContain(visible, a => a.SubmittedAt == null);
        Assert.DoesNotContain(visible, a => a.Status == AssessmentStatus.Draft);
        Assert.Equal(await db.Assessments.CountAsync(a => a.SubmittedAt != null), visible.Count);
        Assert.True(visible.Select(a => a.OrganizationId).Distinct().Count() > 1);
    }

    [Fact]
    public async Task An_anonymous_or_unaffiliated_user_sees_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.NewContext();
        var anonymous = await AccessScope.ForAsync(db, new ClaimsPrincipal(new ClaimsIdentity()), database.Time);
        var stranger = await AccessScope.ForAsync(db, Principal("not-a-member"), database.Time);

        Assert.Empty(await db.VisibleAssessments(anonymous).ToListAsync());
        Assert.Empty(await db.VisibleAssessments(stranger).ToListAsync());
        Assert.Empty(await db.VisibleOrganizations(stranger).ToListAsync());
    }
}
