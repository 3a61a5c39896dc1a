using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Web.Features.Assessments;

namespace PalliativeToolkit.Web.Tests;

/// <summary>The feature service through the app's own composition: it checks access and input itself.</summary>
public class AssessmentServiceTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private AssessmentService Service => factory.Services.CreateScope().ServiceProvider.GetRequiredService<AssessmentService>();

    private static SaveElementCommand SaveOf(Assessment assessment, int index = 0, Guid? version = null)
    {
        var element = assessment.Elements.OrderBy(e => e.Id).ElementAt(index);
        return new SaveElementCommand
        {
            AssessmentId = assessment.Id,
            ElementResponseId = element.Id,
            ExpectedVersion = version ?? element.Version,
            Answers = element.Criteria.ToDictionary(c => c.CriterionId, c => c.Answer),
            EvidenceNotes = element.EvidenceNotes,
            EvidenceLinks = [.. element.EvidenceLinks],
            Priority = element.Priority,
        };
    }

    private async Task<string> NotesAsync(Guid elementResponseId)
    {
        await using var db = factory.NewContext();
        return await db.ElementResponses.Where(e => e.Id == elementResponseId).Select(e => e.EvidenceNotes).SingleAsync();
    }

    [Fact]
    public async Task A_contributor_saves_an_element_and_gets_a_new_version()
    {
        var draft = await factory.AssessmentAsync("Golden Poppy", AssessmentStatus.Draft);
        var command = SaveOf(draft, 3);
        command.EvidenceNotes = "Saved by a contributor";

        var result = await Service.SaveElementAsync(await factory.PrincipalAsync("contributor"), command);

        Assert.True(result.Succeeded, result.Message);
        Assert.NotEqual(command.ExpectedVersion, result.Version);
        Assert.Equal("Saved by a contributor", await NotesAsync(command.ElementResponseId));
    }

    [Fact]
    public async Task A_stale_save_is_refused_with_an_offer_to_reload_and_changes_nothing()
    {
        var draft = await factory.AssessmentAsync("Golden Poppy", AssessmentStatus.Draft);
        var first = SaveOf(draft, 4);
        first.EvidenceNotes = "first";
        var second = SaveOf(draft, 4);
        second.EvidenceNotes = "second, from a stale page";
        var user = await factory.PrincipalAsync("manager");

        Assert.True((await Service.SaveElementAsync(user, first)).Succeeded);
        var stale = await Service.SaveElementAsync(user, second);

        Assert.True(stale.IsConflict);
        Assert.Contains("Reload", stale.Message);
        Assert.Equal("first", await NotesAsync(first.ElementResponseId));
    }

    [Fact]
    public async Task Over_long_notes_and_bad_links_are_refused_field_by_field_and_nothing_is_saved()
    {
        var draft = await factory.AssessmentAsync("Golden Poppy", AssessmentStatus.Draft);
        var command = SaveOf(draft, 5);
        var before = await NotesAsync(command.ElementResponseId);
        command.EvidenceNotes = new string('x', Limits.EvidenceNotes + 1);
        command.EvidenceLinks = ["javascript:alert(1)"];

        var result = await Service.SaveElementAsync(await factory.PrincipalAsync("manager"), command);

        Assert.False(result.Succeeded);
        Assert.NotNull(result.ErrorFor(nameof(SaveElementCommand.EvidenceNotes)));
        Assert.Contains(result.FieldErrors, f => f.Key.StartsWith(nameof(SaveElementCommand.EvidenceLinks), StringComparison.Ordinal));
        Assert.Equal(before, await NotesAsync(command.ElementResponseId));
    }

    [Fact]
    public async Task A_viewer_cannot_change_an_assessment()
    {
        var draft = await factory.AssessmentAsync("Golden Poppy", AssessmentStatus.Draft);
        var command = SaveOf(draft, 6);
        command.EvidenceNotes = "viewer was here";

        var result = await Service.SaveElementAsync(await factory.PrincipalAsync("viewer"), command);

        Assert.False(result.Succeeded);
        Assert.NotEqual("viewer was here", await NotesAsync(command.ElementResponseId));
    }

    [Fact]
    public async Task Another_plans_manager_cannot_save_into_this_plans_assessment()
    {
        var draft = await factory.AssessmentAsync("Golden Poppy", AssessmentStatus.Draft);
        var command = SaveOf(draft, 7);
        command.EvidenceNotes = "intruder";

        var result = await Service.SaveElementAsync(await factory.PrincipalAsync("manager2"), command);

        Assert.True(result.IsNotFound);
        Assert.NotEqual("intruder", await NotesAsync(command.ElementResponseId));
    }

    [Fact]
    public async Task A_submitted_assessment_cannot_be_changed()
    {
        var submitted = await factory.AssessmentAsync("Sierra Vista", AssessmentStatus.Submitted);
        var command = SaveOf(submitted);
        command.EvidenceNotes = "late edit";

        var result = await Service.SaveElementAsync(await factory.PrincipalAsync("manager2"), command);

        Assert.False(result.Succeeded);
        Assert.Contains("can no longer be changed", result.Message);
    }

    [Fact]
    public async Task Only_a_manager_can_submit_and_an_incomplete_assessment_is_refused_with_what_is_missing()
    {
        var draft = await factory.AssessmentAsync("Golden Poppy", AssessmentStatus.Draft);

        var byContributor = await Service.SubmitAsync(await factory.PrincipalAsync("contributor"), draft.Id);
        var byManager = await Service.SubmitAsync(await factory.PrincipalAsync("manager"), draft.Id);

        Assert.Contains("Only a manager", byContributor.Message);
        Assert.False(byManager.Succeeded);
        Assert.NotEmpty(byManager.Details);
    }

    [Fact]
    public async Task Starting_needs_a_valid_new_cycle()
    {
        var manager = await factory.PrincipalAsync("manager");
        var organizationId = (await factory.AssessmentAsync("Golden Poppy", AssessmentStatus.Draft)).OrganizationId;

        var empty = await Service.StartAsync(manager, new StartAssessmentCommand { OrganizationId = organizationId, Cycle = "" });
        var tooLong = await Service.StartAsync(manager, new StartAssessmentCommand { OrganizationId = organizationId, Cycle = new string('9', 50) });
        var odd = await Service.StartAsync(manager, new StartAssessmentCommand { OrganizationId = organizationId, Cycle = "<script>" });
        var duplicate = await Service.StartAsync(manager, new StartAssessmentCommand { OrganizationId = organizationId, Cycle = factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().Year.ToString() });

        Assert.All([empty, tooLong, odd, duplicate], r => Assert.NotNull(r.ErrorFor(nameof(StartAssessmentCommand.Cycle))));
    }

    [Fact]
    public async Task A_contributor_cannot_start_an_assessment()
    {
        var organizationId = (await factory.AssessmentAsync("Golden Poppy", AssessmentStatus.Draft)).OrganizationId;

        var result = await Service.StartAsync(await factory.PrincipalAsync("contributor"), new StartAssessmentCommand { OrganizationId = organizationId, Cycle = "2031" });

        Assert.False(result.Succeeded);
        Assert.Contains("Only a manager", result.Message);
    }

    [Fact]
    public async Task A_new_cycle_copied_from_the_last_one_starts_with_its_answers()
    {
        var manager = await factory.PrincipalAsync("manager3");
        var last = await factory.AssessmentAsync("Bayshore", AssessmentStatus.Returned);

        var result = await Service.StartAsync(manager, new StartAssessmentCommand { OrganizationId = last.OrganizationId, Cycle = "2030", CopyFromPrevious = true });
        var view = await Service.GetAsync(manager, result.Id!.Value);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(last.Elements.Count, view!.Progress.Assessed);
    }

    [Fact]
    public async Task Only_a_reviewer_can_accept_and_a_return_needs_feedback()
    {
        var submitted = await factory.AssessmentAsync("Sierra Vista", AssessmentStatus.Submitted);

        var byPlan = await Service.AcceptAsync(await factory.PrincipalAsync("manager2"), submitted.Id);
        var emptyReturn = await Service.ReturnAsync(await factory.PrincipalAsync("reviewer"), new ReturnAssessmentCommand { AssessmentId = submitted.Id });

        Assert.Contains("statewide reviewer", byPlan.Message);
        Assert.NotNull(emptyReturn.ErrorFor(nameof(ReturnAssessmentCommand.GeneralFeedback)));
        Assert.Equal(AssessmentStatus.Submitted, (await factory.AssessmentAsync("Sierra Vista", AssessmentStatus.Submitted)).Status);
    }
}
