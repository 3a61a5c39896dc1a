using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Web.Features.Feedback;

namespace PalliativeToolkit.Web.Tests;

/// <summary>bUnit: a thread on an element card, as its replies are typed and the thread changes under them.</summary>
public sealed class ElementThreadsTests : BunitContext, IClassFixture<PortalFactory>
{
    private readonly PortalFactory _factory;
    private readonly IServiceScope _scope;

    public ElementThreadsTests(PortalFactory factory)
    {
        _factory = factory;
        _scope = factory.Services.CreateScope();
        Services.AddMudServices();
        Services.AddFallbackServiceProvider(_scope.ServiceProvider);
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    protected override void Dispose(bool disposing)
    {
        _scope.Dispose();
        base.Dispose(disposing);
    }

    [Fact]
    public async Task A_reply_being_written_when_the_thread_is_resolved_stays_on_the_screen()
    {
        var contributor = await _factory.Data.UserAsync(await _factory.Data.PlanAsync(), Domain.Organizations.OrganizationRole.Contributor);
        var elementId = Guid.NewGuid();
        var at = new DateTime(2026, 11, 20, 18, 0, 0, DateTimeKind.Utc);
        var message = new ThreadMessageView(Guid.NewGuid(), "Riley Reviewer", ThreadSide.Reviewer, "Statewide reviewers", at, "Which policy supports this?");
        var open = new ThreadView(Guid.NewGuid(), Guid.NewGuid(), elementId, "A1", 1, ThreadStatus.Open, at, null, null,
            ThreadSide.Organization, "the plan", [message], CanReply: true, CanResolve: false);
        var rendered = Render<ElementThreads>(p => p
            .Add(c => c.AssessmentId, Guid.NewGuid())
            .Add(c => c.ElementId, elementId)
            .Add(c => c.ElementCode, "A1")
            .Add(c => c.Threads, [open])
            .AddCascadingValue(Task.FromResult(new AuthenticationState(contributor.Principal))));

        rendered.Find("[data-testid=thread-reply]").Input("Our eligibility policy, section 4, attached as evidence.");
        rendered.Render(p => p.Add(c => c.Threads, [open with { Status = ThreadStatus.Resolved, ResolvedBy = "Riley Reviewer", ResolvedAt = at, CanReply = false }]));

        var thread = rendered.Find("[data-testid=thread]");
        Assert.Equal("resolved", thread.GetAttribute("data-status"));
        Assert.True(thread.HasAttribute("open"), "the resolved thread opens to show the unsent reply");
        var kept = rendered.Find("[data-testid=thread-unsent] textarea");
        Assert.Equal("Our eligibility policy, section 4, attached as evidence.", kept.TextContent);
        Assert.True(kept.HasAttribute("readonly"));
        Assert.Contains("ask a manager to reopen", rendered.Find("[data-testid=thread-unsent]").TextContent, StringComparison.Ordinal);
    }
}
