using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Web.Features.Surveys;

namespace PalliativeToolkit.Web.Tests;

/// <summary>bUnit: the survey's pages as they read in each state (a county grid with every county listed, a submitted or closed wave).</summary>
public sealed class SurveyPageTests : BunitContext, IClassFixture<PortalFactory>
{
    private readonly PortalFactory _factory;
    private readonly IServiceScope _scope;

    public SurveyPageTests(PortalFactory factory)
    {
        _factory = factory;
        _scope = factory.Services.CreateScope();
        Services.AddMudServices();
        Services.AddFallbackServiceProvider(_scope.ServiceProvider);
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private SurveyResponseService Responses => _scope.ServiceProvider.GetRequiredService<SurveyResponseService>();

    protected override void Dispose(bool disposing)
    {
        _scope.Dispose();
        base.Dispose(disposing);
    }

    [Fact]
    public async Task A_county_grid_with_all_58_counties_listed_offers_no_59th()
    {
        var provider = await _factory.Data.ProviderAsync();
        var manager = await _factory.Data.UserAsync(provider);
        var wave = await _factory.Data.SurveyWaveAsync(SurveyAudience.Providers, 2019, [new QuestionDefinition("Members served per county", null, QuestionKind.CountyGrid, [], null, null, PortalSource.None)]);
        var form = (await Responses.GetFormAsync(manager.Principal, wave.Id)).Value;
        var rendered = Render<QuestionCard>(p => p
            .Add(c => c.ResponseId, form.ResponseId!.Value)
            .Add(c => c.Question, form.Questions[0])
            .Add(c => c.CanEdit, true)
            .AddCascadingValue(Task.FromResult(new AuthenticationState(manager.Principal))));

        for (var i = 0; i < CaliforniaCounties.All.Count; i++)
        {
            await rendered.Find("[data-testid=add-county]").ClickAsync(new());
        }

        // The 58th is added like any other; every county is then listed once, and there is no 59th to add.
        Assert.Equal(CaliforniaCounties.All.Count, rendered.FindAll(".county-grid-row").Count);
        Assert.Equal(CaliforniaCounties.All.Select(c => c.Name).Order(StringComparer.Ordinal),
            rendered.FindAll(".county-grid-row").Select(r => r.GetAttribute("data-county")!).Order(StringComparer.Ordinal));
        Assert.Empty(rendered.FindAll("[data-testid=add-county]"));
        Assert.Contains("Every county is listed", rendered.Find(".county-grid").TextContent, StringComparison.Ordinal);

        // Removing one offers the add again.
        await rendered.FindAll(".county-remove")[0].ClickAsync(new());
        Assert.Single(rendered.FindAll("[data-testid=add-county]"));
    }

    [Fact]
    public async Task A_submitted_response_reads_as_submitted_and_a_closed_waves_results_are_not_so_far()
    {
        var provider = await _factory.Data.ProviderAsync();
        var manager = await _factory.Data.UserAsync(provider);
        var wave = await _factory.Data.SurveyWaveAsync(SurveyAudience.Providers, 2020, [SurveyKit.Scale("How ready are you?")]);
        await _factory.Data.SurveyResponseAsync(wave.Id, provider, _ => SurveyValue.Of(3), submit: true);
        IRenderedComponent<AnswerPage> Page() => Render<AnswerPage>(p => p
            .Add(c => c.Id, wave.Id)
            .AddCascadingValue(Task.FromResult(new AuthenticationState(manager.Principal))));

        // Submitted while the wave is open: read-only, the statewide results still gathering.
        var open = Page();
        open.WaitForAssertion(() => Assert.StartsWith("Submitted on", open.Find("[data-testid=survey-status]").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("Each answer saves itself", open.Markup, StringComparison.Ordinal);
        Assert.Equal("Results so far", open.Find("[data-testid=survey-results-link]").TextContent);

        // Closed: the results are the wave's results.
        await _factory.Data.CloseSurveyAsync(wave.Id);
        var closed = Page();
        closed.WaitForAssertion(() => Assert.StartsWith("Submitted on", closed.Find("[data-testid=survey-status]").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("so far", closed.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Each answer saves itself", closed.Markup, StringComparison.Ordinal);
        Assert.Equal("Results", closed.Find("[data-testid=survey-results-link]").TextContent);
        Assert.Equal($"community/surveys/{wave.Id}/results", closed.Find("[data-testid=survey-results-link]").GetAttribute("href"));
    }
}
