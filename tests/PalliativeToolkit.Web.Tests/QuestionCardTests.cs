using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Web.Features.Surveys;

namespace PalliativeToolkit.Web.Tests;

/// <summary>bUnit: a survey question's card when a colleague saved the same question meanwhile.</summary>
public sealed class QuestionCardTests : BunitContext, IClassFixture<PortalFactory>
{
    private readonly PortalFactory _factory;
    private readonly IServiceScope _scope;

    public QuestionCardTests(PortalFactory factory)
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
    public async Task Keep_mine_saves_what_the_editor_holds_now_including_what_was_typed_while_the_choice_was_shown()
    {
        var provider = await _factory.Data.ProviderAsync();
        var manager = await _factory.Data.UserAsync(provider);
        var contributor = await _factory.Data.UserAsync(provider, OrganizationRole.Contributor);
        var wave = await _factory.Data.SurveyWaveAsync(SurveyAudience.Providers, 2024, [SurveyKit.Text("What would help most?")]);
        var mine = (await Responses.GetFormAsync(contributor.Principal, wave.Id)).Value;
        var theirs = (await Responses.GetFormAsync(manager.Principal, wave.Id)).Value;
        var rendered = Render<QuestionCard>(p => p
            .Add(c => c.ResponseId, mine.ResponseId!.Value)
            .Add(c => c.Question, mine.Questions[0])
            .Add(c => c.CanEdit, true)
            .AddCascadingValue(Task.FromResult(new AuthenticationState(contributor.Principal))));

        // The manager saves first; the contributor's typing then meets that save and is asked which stands.
        var saved = await Responses.SaveAnswerAsync(manager.Principal, new SaveAnswerCommand(theirs.ResponseId!.Value, theirs.Questions[0].ItemId, theirs.Questions[0].Version, SurveyValue.Write("A single referral contact")));
        Assert.True(saved.Succeeded);
        await rendered.Find("textarea").InputAsync(new ChangeEventArgs { Value = "Monthly lists" }); // done once its save met the manager's
        Assert.Single(rendered.FindAll("[data-testid=question-conflict]"));

        // Typing on while the choice is shown, then keeping one's own before that typing's pause is over.
        var typing = rendered.Find("textarea").InputAsync(new ChangeEventArgs { Value = "Monthly lists and a named contact" });
        await rendered.FindAll("[data-testid=question-conflict] button").Single(b => b.TextContent.StartsWith("Keep mine", StringComparison.Ordinal)).ClickAsync(new());
        await typing;
        rendered.WaitForAssertion(() => Assert.Equal("Saved", rendered.Find("[data-testid=question-save]").TextContent), TimeSpan.FromSeconds(10));
        await Task.Delay(QuestionCard.MaximumWait, Xunit.TestContext.Current.CancellationToken); // any save still waiting has had its chance

        var stored = (await Responses.GetFormAsync(manager.Principal, wave.Id)).Value.Questions[0];
        Assert.Equal("Monthly lists and a named contact", stored.Value!.Text);
        Assert.Empty(rendered.FindAll("[data-testid=question-conflict]"));
    }
}
