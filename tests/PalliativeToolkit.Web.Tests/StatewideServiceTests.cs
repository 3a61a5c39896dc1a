using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Web.Features.Statewide;

namespace PalliativeToolkit.Web.Tests;

public class StatewideServiceTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private StatewideService Service => factory.Services.CreateScope().ServiceProvider.GetRequiredService<StatewideService>();

    [Fact]
    public async Task Each_plan_appears_once_with_its_latest_submitted_assessment()
    {
        await using var db = factory.NewContext();
        var submitted = await db.Assessments.AsNoTracking()
            .Where(a => a.SubmittedAt != null && a.Organization!.Kind == OrganizationKind.ManagedCarePlan)
            .Select(a => new { a.Id, a.OrganizationId, a.SubmittedAt })
            .ToListAsync(TestContext.Current.CancellationToken);
        var expected = submitted.GroupBy(a => a.OrganizationId).Select(g => g.MaxBy(a => a.SubmittedAt)!.Id).Order().ToList();
        Assert.Contains(submitted.GroupBy(a => a.OrganizationId), g => g.Count() > 1);

        var rows = await Service.LatestSubmittedAsync(await factory.PrincipalAsync("reviewer"), TestContext.Current.CancellationToken);

        Assert.Equal(expected, rows!.Select(r => r.AssessmentId).Order().ToList());
        Assert.All(rows!, r => Assert.NotEmpty(r.Sections));
    }

    [Fact]
    public async Task A_plan_user_gets_nothing()
    {
        Assert.Null(await Service.LatestSubmittedAsync(await factory.PrincipalAsync("manager"), TestContext.Current.CancellationToken));
    }
}
