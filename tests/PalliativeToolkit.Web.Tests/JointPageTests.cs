using System.Data.Common;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Assessments;
using PalliativeToolkit.Web.Features.Partners;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// Holds the next read of organizations' names (the joint page's read, after it has read the answers) until released:
/// that read then finishes after a later one.
/// </summary>
public sealed class PausedRead : DbCommandInterceptor
{
    private TaskCompletionSource? _release;

    public TaskCompletionSource Entered { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Nothing more is held (an arm no read took, a test that failed before it released its read).</summary>
    public void Disarm() => Interlocked.Exchange(ref _release, null)?.TrySetResult();

    public TaskCompletionSource Arm()
    {
        Entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _release = release;
        return release;
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.CommandText.Contains("FROM \"Organizations\"", StringComparison.Ordinal) && Interlocked.Exchange(ref _release, null) is { } release)
        {
            Entered.TrySetResult();
            await release.Task.WaitAsync(cancellationToken);
        }

        return result;
    }
}

/// <summary>bUnit: the joint section E page, with clicks and reads arriving in the order a loaded server sees them.</summary>
public sealed class JointPageTests : BunitContext, IClassFixture<InterceptedPortalFactory<PausedRead>>
{
    private readonly InterceptedPortalFactory<PausedRead> _factory;
    private readonly IServiceScope _scope;
    private readonly HookedSignals _signals = new();

    public JointPageTests(InterceptedPortalFactory<PausedRead> factory)
    {
        _factory = factory;
        _scope = factory.Services.CreateScope();
        Services.AddMudServices();
        Services.AddSingleton<IJointSignals>(_signals);
        Services.AddScoped(_ => new JointService(
            _scope.ServiceProvider.GetRequiredService<OperationRunner>(), _scope.ServiceProvider.GetRequiredService<FrameworkCatalog>(), _signals));
        Services.AddFallbackServiceProvider(_scope.ServiceProvider);
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private JointService Joint => _scope.ServiceProvider.GetRequiredService<JointService>();

    protected override void Dispose(bool disposing)
    {
        _scope.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Runs one action the next time a change is told: after it was saved, before the page that saved it reads again.</summary>
    private sealed class HookedSignals : IJointSignals
    {
        public Action? OnNextTell { get; set; }

        /// <summary>What the page does when told of another's change (the test tells it when it chooses).</summary>
        public Func<Task>? Listener { get; private set; }

        public void Tell(Guid jointAssessmentId)
        {
            var action = OnNextTell;
            OnNextTell = null;
            action?.Invoke();
        }

        public IDisposable Listen(Guid jointAssessmentId, Func<Task> onSignal)
        {
            Listener = onSignal;
            return new Nothing();
        }

        private sealed class Nothing : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }

    private static IElement Choice(IRenderedComponent<Features.Partners.JointPage> page, string criterion, string answer) =>
        page.FindAll($"[data-criterion={criterion}] [data-side=plan] button").Single(b => b.TextContent.Replace("✓", "", StringComparison.Ordinal).Trim() == answer);

    /// <summary>A joint assessment of a new partnership, open on the plan manager's page; a contributor of the same plan.</summary>
    private async Task<(TestUser Manager, TestUser Colleague, Guid JointId, JointCriterionView Criterion, IRenderedComponent<Features.Partners.JointPage> Page)> OpenAsync()
    {
        var plan = await _factory.Data.PlanAsync();
        var provider = await _factory.Data.ProviderAsync();
        var partnership = await _factory.Data.PartnershipAsync(plan, provider);
        var manager = await _factory.Data.UserAsync(plan);
        var colleague = await _factory.Data.UserAsync(plan, Domain.Organizations.OrganizationRole.Contributor);
        var started = await Joint.StartAsync(manager.Principal, partnership.Id, "2026");
        Assert.True(started.Succeeded, started.Message);
        var criterion = (await Joint.GetAsync(manager.Principal, started.Value)).Value.Elements[0].Criteria[0];
        var page = Render<Features.Partners.JointPage>(p => p
            .Add(c => c.Id, started.Value)
            .AddCascadingValue(Task.FromResult(new AuthenticationState(manager.Principal))));
        page.WaitForElement($"[data-criterion={criterion.Code}] [data-side=plan] button");
        return (manager, colleague, started.Value, criterion, page);
    }

    [Fact]
    public async Task A_second_answer_clicked_before_the_page_shows_the_first_is_saved_not_refused()
    {
        var (manager, _, jointId, criterion, page) = await OpenAsync();
        var code = criterion.Code;

        // "Met" is saved; before the page shows it, the person clicks "Not met" on the buttons still drawn from "open"
        // (as a browser does whose click left before the new render arrived).
        Task? second = null;
        _signals.OnNextTell = () => second = Choice(page, code, "Not met").ClickAsync(new());
        await Choice(page, code, "Met").ClickAsync(new());
        await (second ?? throw new InvalidOperationException("The first answer was not saved."));

        // The last click counts: saved, shown as chosen, and no one else is blamed for it.
        Assert.DoesNotContain("Someone on your side", page.Markup, StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.Equal("true", Choice(page, code, "Not met").GetAttribute("aria-pressed")));
        var stored = (await Joint.GetAsync(manager.Principal, jointId)).Value;
        Assert.Equal(Answer.NotMet, stored.Elements[0].Criteria[0].Plan);
        Assert.Contains(stored.History, h => h.What == $"{code}: open → met");
        Assert.Contains(stored.History, h => h.What == $"{code}: met → not met");
    }

    [Fact]
    public async Task An_answer_someone_else_on_the_same_side_saved_meanwhile_is_still_not_overwritten()
    {
        var (manager, colleague, jointId, criterion, page) = await OpenAsync();

        // The page answered once itself; then a colleague changes the answer before the page shows it.
        await Choice(page, criterion.Code, "Met").ClickAsync(new());
        Assert.True((await Joint.AnswerAsync(colleague.Principal, jointId, criterion.CriterionId, Answer.Met, Answer.Open)).Succeeded);
        await Choice(page, criterion.Code, "Not met").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Someone on your side changed this a moment ago", page.Markup, StringComparison.Ordinal));
        Assert.Equal(Answer.Open, (await Joint.GetAsync(manager.Principal, jointId)).Value.Elements[0].Criteria[0].Plan);
        Assert.Equal("true", Choice(page, criterion.Code, "Open").GetAttribute("aria-pressed"));
    }

    [Fact]
    public async Task A_read_that_finishes_after_a_later_one_does_not_bring_back_the_older_answer()
    {
        var (_, colleague, jointId, criterion, page) = await OpenAsync();
        var listener = _signals.Listener ?? throw new InvalidOperationException("The page does not listen for changes.");

        // A colleague answers "met"; the page's read of it is held after it has read the answers.
        Assert.True((await Joint.AnswerAsync(colleague.Principal, jointId, criterion.CriterionId, Answer.Open, Answer.Met)).Succeeded);
        var release = _factory.Hook.Arm();
        try
        {
            var older = listener();
            await _factory.Hook.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30), Xunit.TestContext.Current.CancellationToken);

            // Then "not met"; the page's next read shows it, and the held read finishes last.
            Assert.True((await Joint.AnswerAsync(colleague.Principal, jointId, criterion.CriterionId, Answer.Met, Answer.NotMet)).Succeeded);
            await listener();
            page.WaitForAssertion(() => Assert.Equal("true", Choice(page, criterion.Code, "Not met").GetAttribute("aria-pressed")));
            release.SetResult();
            await older;
        }
        finally
        {
            release.TrySetResult();
            _factory.Hook.Disarm();
        }

        Assert.Equal("true", Choice(page, criterion.Code, "Not met").GetAttribute("aria-pressed"));
        Assert.Equal("false", Choice(page, criterion.Code, "Met").GetAttribute("aria-pressed"));
    }

    [Fact]
    public async Task Notes_someone_on_the_same_side_saves_again_are_shown_as_they_read_now_beside_the_text_kept_in_the_box()
    {
        var (manager, colleague, jointId, _, page) = await OpenAsync();
        var elementId = (await Joint.GetAsync(manager.Principal, jointId)).Value.Elements[0].ElementId;
        var listener = _signals.Listener ?? throw new InvalidOperationException("The page does not listen for changes.");
        Assert.True((await Joint.WriteNotesAsync(colleague.Principal, jointId, elementId, string.Empty, "Colleague: first draft")).Succeeded);

        // The page, not yet showing the colleague's notes, writes its own: it is told, and keeps its text.
        page.Find("textarea").Input("Mine: the policy was approved in May.");
        page.WaitForAssertion(() => Assert.Contains("they now read: “Colleague: first draft”", page.Markup, StringComparison.Ordinal));

        // The colleague saves again: the page shows their notes as they now read, never the older ones.
        Assert.True((await Joint.WriteNotesAsync(colleague.Principal, jointId, elementId, "Colleague: first draft", "Colleague: second draft")).Succeeded);
        await listener();
        page.WaitForAssertion(() => Assert.Contains("they now read: “Colleague: second draft”", page.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("first draft", page.Markup, StringComparison.Ordinal);
        Assert.Equal("Mine: the policy was approved in May.", page.Find("textarea").GetAttribute("value") ?? page.Find("textarea").TextContent);
        Assert.Equal("Colleague: second draft", (await Joint.GetAsync(manager.Principal, jointId)).Value.Elements[0].NotesOf(Domain.Organizations.PartnerSide.Plan));
    }
}
