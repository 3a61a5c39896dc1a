using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Assessments;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// bUnit: the element card as a user meets it, on the app's real services and database (a plan and draft of its own),
/// so a click is a real save.
/// </summary>
public sealed class ElementCardTests : BunitContext, IClassFixture<PortalFactory>
{
    private readonly PortalFactory _factory;
    private readonly IServiceScope _scope;

    public ElementCardTests(PortalFactory factory)
    {
        _factory = factory;
        _scope = factory.Services.CreateScope();
        Services.AddMudServices();
        Services.AddFallbackServiceProvider(_scope.ServiceProvider);
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private AssessmentService Assessments => _scope.ServiceProvider.GetRequiredService<AssessmentService>();

    protected override void Dispose(bool disposing)
    {
        _scope.Dispose();
        base.Dispose(disposing);
    }

    private sealed record Card(IRenderedComponent<ElementCard> Rendered, ElementView Element, Guid AssessmentId, Organization Plan);

    private int _reloads;

    private async Task<Card> RenderA1Async(OrganizationRole role, Answer? answerAll = null)
    {
        var plan = await _factory.Data.PlanAsync();
        var user = await _factory.Data.UserAsync(plan, role);
        var draft = await _factory.Data.AssessmentAsync(plan, answerAll: answerAll);
        var view = (await Assessments.GetAsync(user.Principal, draft.Id)).Value;
        var a1 = view.Sections[0].Elements[0];
        var rendered = Render<ElementCard>(p => p
            .Add(c => c.AssessmentId, draft.Id)
            .Add(c => c.Element, a1)
            .Add(c => c.CanEdit, view.CanEdit)
            .Add(c => c.OnReloadRequested, () => _reloads++)
            .AddCascadingValue(Task.FromResult(new AuthenticationState(user.Principal))));
        return new Card(rendered, a1, draft.Id, plan);
    }

    private Task<Dictionary<string, Answer>> StoredAnswersAsync(Guid elementResponseId) =>
        _factory.Data.StoredAsync(db => db.CriterionResponses.Where(c => c.ElementResponseId == elementResponseId)
            .Select(c => new { c.Criterion!.Code, c.Answer }).ToDictionaryAsync(c => c.Code, c => c.Answer));

    [Fact]
    public async Task An_unanswered_criterion_reads_open_in_neutral_text_never_as_an_error()
    {
        var card = await RenderA1Async(OrganizationRole.Contributor);

        var answers = card.Rendered.FindAll("[data-testid=answer]");

        Assert.All(answers, a => Assert.Equal("Open", a.TextContent));
        Assert.All(answers, a => Assert.Contains("answer-open", a.ClassList));
        Assert.All(card.Rendered.FindAll("[role=checkbox]"), c => Assert.Equal("mixed", c.GetAttribute("aria-checked")));
        Assert.Equal("Not started", card.Rendered.Find("[data-testid=level]").TextContent.Trim());
        Assert.Empty(card.Rendered.FindAll(".mud-error-text"));
        Assert.Empty(card.Rendered.FindAll(".mud-input-error"));
    }

    [Fact]
    public async Task Clicking_a_criterion_moves_it_open_to_met_recomputes_the_level_and_saves_it()
    {
        var card = await RenderA1Async(OrganizationRole.Contributor);

        await card.Rendered.Find("[data-criterion='A1-M1'] [role=checkbox]").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        card.Rendered.WaitForAssertion(() => Assert.Equal("Saved", card.Rendered.Find("[data-testid=element-save]").TextContent), TimeSpan.FromSeconds(10));
        Assert.Equal("Met", card.Rendered.Find("[data-criterion='A1-M1'] [data-testid=answer]").TextContent);
        Assert.Equal("true", card.Rendered.Find("[data-criterion='A1-M1'] [role=checkbox]").GetAttribute("aria-checked"));
        Assert.Equal("Not yet at minimum", card.Rendered.Find("[data-testid=level]").TextContent.Trim());
        Assert.Equal(Answer.Met, (await StoredAnswersAsync(card.Element.ElementResponseId))["A1-M1"]);
    }

    [Fact]
    public async Task A_viewer_gets_a_card_whose_answers_are_shown_not_offered_as_controls()
    {
        var card = await RenderA1Async(OrganizationRole.Viewer);

        Assert.Empty(card.Rendered.FindAll("[role=checkbox]"));
        Assert.Empty(card.Rendered.FindAll("button.tri-check"));
        Assert.All(card.Rendered.FindAll("[data-testid=answer-icon]"), i => Assert.Equal("true", i.GetAttribute("aria-hidden")));
        Assert.Equal("Open", card.Rendered.Find("[data-criterion='A1-M1'] [data-testid=answer]").TextContent);
        Assert.Empty(card.Rendered.FindAll("#link-A1"));
        Assert.Empty(card.Rendered.FindAll("[aria-label^='Remove link']"));
        Assert.True(card.Rendered.Find("#notes-A1").HasAttribute("readonly"));
        Assert.True(card.Rendered.Find("#priority-A1").HasAttribute("disabled"));
        Assert.Equal(string.Empty, card.Rendered.Find("[data-testid=element-save]").TextContent);
        Assert.All((await StoredAnswersAsync(card.Element.ElementResponseId)).Values, a => Assert.Equal(Answer.Open, a));
    }

    private async Task<string> ColleagueSavesNotesAsync(Card card, string notes)
    {
        var colleague = await _factory.Data.UserAsync(card.Plan, OrganizationRole.Manager);
        var theirs = await Assessments.SaveElementAsync(colleague.Principal, new SaveElementCommand
        {
            AssessmentId = card.AssessmentId,
            ElementResponseId = card.Element.ElementResponseId,
            ExpectedVersion = card.Element.Version,
            Answers = new Dictionary<Guid, Answer>(card.Element.Answers),
            EvidenceNotes = notes,
        });
        Assert.True(theirs.Succeeded, theirs.Message);
        return colleague.DisplayName;
    }

    private Task<string> StoredNotesAsync(Card card) =>
        _factory.Data.StoredAsync(db => db.ElementResponses.Where(e => e.Id == card.Element.ElementResponseId).Select(e => e.EvidenceNotes).SingleAsync());

    [Fact]
    public async Task A_tick_over_a_colleagues_notes_saves_both_and_brings_their_notes_into_the_card()
    {
        var card = await RenderA1Async(OrganizationRole.Contributor);
        await ColleagueSavesNotesAsync(card, "Colleague's notes");

        await card.Rendered.Find("[data-criterion='A1-M1'] [role=checkbox]").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        card.Rendered.WaitForAssertion(() => Assert.Equal("Saved", card.Rendered.Find("[data-testid=element-save]").TextContent), TimeSpan.FromSeconds(10));
        Assert.Equal("Colleague's notes", card.Rendered.Find("#notes-A1").GetAttribute("value"));
        Assert.Empty(card.Rendered.FindAll(".field-conflict"));
        Assert.Equal("Colleague's notes", await StoredNotesAsync(card));
        Assert.Equal(Answer.Met, (await StoredAnswersAsync(card.Element.ElementResponseId))["A1-M1"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Notes_two_people_changed_show_both_versions_and_the_choice_decides_what_is_stored(bool keepMine)
    {
        var card = await RenderA1Async(OrganizationRole.Contributor);
        await ColleagueSavesNotesAsync(card, "Colleague's notes");

        card.Rendered.Find("#notes-A1").Input("My notes, typed meanwhile");

        card.Rendered.WaitForAssertion(() => Assert.NotNull(card.Rendered.Find("[data-testid=notes-conflict]")), TimeSpan.FromSeconds(10));
        Assert.Equal("Colleague's notes", card.Rendered.Find("[data-testid=conflict-saved]").TextContent);
        Assert.Equal("My notes, typed meanwhile", card.Rendered.Find("[data-testid=conflict-yours]").TextContent);
        Assert.Equal("My notes, typed meanwhile", card.Rendered.Find("#notes-A1").GetAttribute("value"));
        Assert.Contains("Test Manager", card.Rendered.Find("[data-testid=notes-conflict]").TextContent);
        Assert.Equal("Choose a version", card.Rendered.Find("[data-testid=element-save]").TextContent);
        Assert.Equal("Colleague's notes", await StoredNotesAsync(card));

        var choice = card.Rendered.FindAll("[data-testid=notes-conflict] button").Single(b => b.TextContent.StartsWith(keepMine ? "Keep mine" : "Use saved", StringComparison.Ordinal));
        await choice.ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        card.Rendered.WaitForAssertion(() => Assert.Equal("Saved", card.Rendered.Find("[data-testid=element-save]").TextContent), TimeSpan.FromSeconds(10));
        var expected = keepMine ? "My notes, typed meanwhile" : "Colleague's notes";
        Assert.Empty(card.Rendered.FindAll("[data-testid=notes-conflict]"));
        Assert.Equal(expected, card.Rendered.Find("#notes-A1").GetAttribute("value"));
        Assert.Equal(expected, await StoredNotesAsync(card));
    }

    [Fact]
    public async Task A_conflict_the_colleague_ends_by_saving_the_users_own_notes_leaves_the_card_saved_not_waiting_for_a_choice()
    {
        var card = await RenderA1Async(OrganizationRole.Contributor);
        await ColleagueSavesNotesAsync(card, "Colleague's notes");
        card.Rendered.Find("#notes-A1").Input("Agreed notes");
        card.Rendered.WaitForAssertion(() => Assert.NotNull(card.Rendered.Find("[data-testid=notes-conflict]")), TimeSpan.FromSeconds(10));

        // The colleague then saves the very same notes; the page's live update reads the element and draws the card again.
        var name = await ColleagueSavesNotesAsync(card, "Agreed notes");
        var reader = await _factory.Data.UserAsync(card.Plan, OrganizationRole.Viewer);
        var fresh = (await Assessments.GetElementAsync(reader.Principal, card.AssessmentId, card.Element.ElementResponseId)).Value;
        await card.Rendered.InvokeAsync(() => card.Element.Remote(fresh.Version, fresh.State, fresh.EvidenceCarriedFrom, name));
        card.Rendered.Render();

        card.Rendered.WaitForAssertion(() => Assert.Equal("Saved", card.Rendered.Find("[data-testid=element-save]").TextContent));
        Assert.Empty(card.Rendered.FindAll("[data-testid=notes-conflict]"));
        Assert.Equal("Agreed notes", card.Rendered.Find("#notes-A1").GetAttribute("value"));
        Assert.Equal("Agreed notes", await StoredNotesAsync(card));
    }

    [Fact]
    public async Task The_card_speaks_the_guides_words_and_shows_each_resources_summary_and_provenance()
    {
        var card = await RenderA1Async(OrganizationRole.Contributor);

        var legends = card.Rendered.FindAll("legend").Select(l => l.TextContent).ToList();
        var resources = card.Rendered.FindAll("[data-testid=resource]");

        Assert.Contains("\"should consider adopting\"", legends[0], StringComparison.Ordinal);
        Assert.StartsWith("Enhancements", legends[1], StringComparison.Ordinal);
        Assert.Equal(card.Element.Definition.Resources.Count, resources.Count);
        Assert.All(card.Element.Definition.Resources.Zip(resources), pair =>
        {
            Assert.Contains(pair.First.Description, pair.Second.TextContent, StringComparison.Ordinal);
            Assert.Contains(pair.First.Provenance == Domain.Frameworks.Provenance.Guide ? "Listed in the guide's Tools and Links" : "Added by the portal", pair.Second.TextContent, StringComparison.Ordinal);
        });
        Assert.Contains(card.Rendered.FindAll("[data-criterion]"), c => c.TextContent.Contains("Required by APL 18-020", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Provisional_wording_is_marked_as_such_on_the_criterion()
    {
        var plan = await _factory.Data.PlanAsync();
        var user = await _factory.Data.UserAsync(plan, OrganizationRole.Contributor);
        var draft = await _factory.Data.AssessmentAsync(plan);
        var view = (await Assessments.GetAsync(user.Principal, draft.Id)).Value;
        var provisional = view.Sections.SelectMany(s => s.Elements).First(e => e.Definition.Criteria.Any(c => c.Provenance == Domain.Frameworks.Provenance.Provisional));
        var code = provisional.Definition.Criteria.First(c => c.Provenance == Domain.Frameworks.Provenance.Provisional).Code;

        var rendered = Render<ElementCard>(p => p.Add(c => c.AssessmentId, draft.Id).Add(c => c.Element, provisional).Add(c => c.CanEdit, true)
            .AddCascadingValue(Task.FromResult(new AuthenticationState(user.Principal))));

        Assert.Contains("provisional wording", rendered.Find($"[data-criterion='{code}']").TextContent, StringComparison.Ordinal);
    }
}
