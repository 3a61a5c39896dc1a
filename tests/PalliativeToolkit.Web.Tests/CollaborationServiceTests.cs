using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Assessments;
using PalliativeToolkit.Web.Features.Live;

namespace PalliativeToolkit.Web.Tests;

/// <summary>Two people on one assessment, through the service: saves merge per field, and the other pages are told.</summary>
public class CollaborationServiceTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private AssessmentService Service => factory.Services.CreateScope().ServiceProvider.GetRequiredService<AssessmentService>();

    private IAssessmentLive Live => factory.Services.GetRequiredService<IAssessmentLive>();

    private TestData Data => factory.Data;

    private sealed record Team(TestUser Ana, TestUser Ben, Assessment Draft, ElementView A1);

    private async Task<Team> TeamAsync()
    {
        var plan = await Data.PlanAsync();
        var ana = await Data.UserAsync(plan, OrganizationRole.Manager);
        var ben = await Data.UserAsync(plan, OrganizationRole.Contributor);
        var draft = await Data.AssessmentAsync(plan);
        var a1 = (await Service.GetAsync(ana.Principal, draft.Id)).Value.Sections[0].Elements[0];
        return new Team(ana, ben, draft, a1);
    }

    /// <summary>A page's save: what the user left, merged from what the page loaded.</summary>
    private static SaveElementCommand Save(Team team, ElementState @base, Action<ElementView> edit)
    {
        var page = team.A1;
        var copy = new ElementView(page.Definition, page.ElementResponseId, @base.Answers)
        {
            EvidenceNotes = @base.EvidenceNotes,
            EvidenceLinks = [.. @base.EvidenceLinks],
            Priority = @base.Priority,
        };
        edit(copy);
        return new SaveElementCommand
        {
            AssessmentId = team.Draft.Id,
            ElementResponseId = page.ElementResponseId,
            ExpectedVersion = page.Version,
            Answers = copy.Answers,
            EvidenceNotes = copy.EvidenceNotes,
            EvidenceLinks = copy.EvidenceLinks,
            Priority = copy.Priority,
            Base = @base,
        };
    }

    private Task<ElementResponse> StoredAsync(Guid id) =>
        Data.StoredAsync(db => db.ElementResponses.Include(e => e.Criteria).SingleAsync(e => e.Id == id));

    [Fact]
    public async Task A_tick_and_someone_elses_notes_on_the_same_element_from_the_same_starting_point_are_both_saved()
    {
        var team = await TeamAsync();
        var start = team.A1.Base;
        var first = team.A1.Definition.Criteria[0].Id;

        var tick = await Service.SaveElementAsync(team.Ana.Principal, Save(team, start, e => e.Answers[first] = Answer.Met));
        var notes = await Service.SaveElementAsync(team.Ben.Principal, Save(team, start, e => e.EvidenceNotes = "Referral policy approved"));

        Assert.True(tick.Succeeded, tick.Message);
        Assert.True(notes.Succeeded, notes.Message);
        Assert.False(notes.Value.Conflicts.Any);
        var stored = await StoredAsync(team.A1.ElementResponseId);
        Assert.Equal(Answer.Met, stored.State.AnswerTo(first));
        Assert.Equal("Referral policy approved", stored.EvidenceNotes);
        Assert.Equal(Answer.Met, notes.Value.Saved.AnswerTo(first));
    }

    [Fact]
    public async Task The_same_notes_changed_by_two_people_keep_the_first_and_hand_the_second_both_versions_naming_the_first()
    {
        var team = await TeamAsync();
        var start = team.A1.Base;

        Assert.True((await Service.SaveElementAsync(team.Ana.Principal, Save(team, start, e => e.EvidenceNotes = "Ana's notes"))).Succeeded);
        var late = await Service.SaveElementAsync(team.Ben.Principal, Save(team, start, e =>
        {
            e.EvidenceNotes = "Ben's notes";
            e.Priority = Priority.High;
        }));

        Assert.True(late.Succeeded, late.Message);
        Assert.Equal(new FieldConflict<string>("Ana's notes", "Ben's notes"), late.Value.Conflicts.EvidenceNotes);
        Assert.Equal(team.Ana.DisplayName, late.Value.ConflictingAuthor);
        var stored = await StoredAsync(team.A1.ElementResponseId);
        Assert.Equal("Ana's notes", stored.EvidenceNotes);
        Assert.Equal(Priority.High, stored.Priority);
    }

    [Fact]
    public async Task A_save_whose_only_change_lost_leaves_the_element_its_version_and_its_last_editor_as_they_were()
    {
        var team = await TeamAsync();
        var start = team.A1.Base;
        var first = await Service.SaveElementAsync(team.Ana.Principal, Save(team, start, e => e.EvidenceNotes = "Ana's notes"));

        var lost = await Service.SaveElementAsync(team.Ben.Principal, Save(team, start, e => e.EvidenceNotes = "Ben's notes"));

        Assert.True(lost.Value.Conflicts.Any);
        Assert.Equal(first.Value.Version, lost.Value.Version);
        var stored = await StoredAsync(team.A1.ElementResponseId);
        Assert.Equal(first.Value.Version, stored.Version);
        Assert.Equal(team.Ana.Id, stored.LastEditedBy);
    }

    [Fact]
    public async Task The_page_model_keeps_the_losers_text_and_keeping_it_saves_it_over_the_other()
    {
        var team = await TeamAsync();
        var page = team.A1;
        Assert.True((await Service.SaveElementAsync(team.Ana.Principal, Save(team, page.Base, e => e.EvidenceNotes = "Ana's notes"))).Succeeded);

        page.EvidenceNotes = "Ben's notes";
        var sent = page.Current;
        var late = await Service.SaveElementAsync(team.Ben.Principal, Save(team, page.Base, e => e.EvidenceNotes = sent.EvidenceNotes));
        page.Saved(sent, late.Value);

        Assert.Equal("Ben's notes", page.EvidenceNotes);
        Assert.Equal("Ana's notes", page.NotesConflict?.Saved);

        page.ResolveNotes(keepMine: true);
        var kept = await Service.SaveElementAsync(team.Ben.Principal, Save(team, page.Base, e => e.EvidenceNotes = page.EvidenceNotes));

        Assert.False(kept.Value.Conflicts.Any);
        Assert.Equal("Ben's notes", (await StoredAsync(page.ElementResponseId)).EvidenceNotes);
    }

    [Fact]
    public async Task A_save_tells_the_other_pages_on_the_assessment_who_changed_what_and_a_page_can_fetch_the_element()
    {
        var team = await TeamAsync();
        var heard = new ConcurrentQueue<AssessmentChange>();
        var people = new ConcurrentQueue<IReadOnlyList<PresentUser>>();
        using var benPage = Live.Join(team.Draft.Id, new PresentUser(team.Ben.Id, team.Ben.DisplayName), c =>
        {
            heard.Enqueue(c);
            return Task.CompletedTask;
        }, p =>
        {
            people.Enqueue(p);
            return Task.CompletedTask;
        });
        var first = team.A1.Definition.Criteria[0];

        var saved = await Service.SaveElementAsync(team.Ana.Principal, Save(team, team.A1.Base, e => e.Answers[first.Id] = Answer.Met));

        var change = (await Poll.UntilAsync(() => Task.FromResult(heard.FirstOrDefault()), c => c is not null, TimeSpan.FromSeconds(10), _ => "No live change was heard"))!;
        Assert.Equal(team.A1.ElementResponseId, change.ElementResponseId);
        Assert.Equal(saved.Value.Version, change.Version);
        Assert.Equal(team.Ana.DisplayName, change.ActorName);
        Assert.Equal($"A1: {first.Code} met", change.Description);
        var fetched = await Service.GetElementAsync(team.Ben.Principal, team.Draft.Id, team.A1.ElementResponseId);
        Assert.Equal(Answer.Met, fetched.Value.State.AnswerTo(first.Id));
        Assert.Contains(Live.Present(team.Draft.Id), p => p.UserId == team.Ben.Id);
    }

    [Fact]
    public async Task Someone_outside_the_organization_cannot_fetch_an_element_of_its_working_draft()
    {
        var team = await TeamAsync();
        var outsider = await Data.UserAsync(await Data.PlanAsync(), OrganizationRole.Manager);

        var fetched = await Service.GetElementAsync(outsider.Principal, team.Draft.Id, team.A1.ElementResponseId);

        Assert.False(fetched.Succeeded);
    }

    [Fact]
    public void Presence_lists_each_person_once_and_forgets_a_page_that_left()
    {
        var live = new InProcessAssessmentLive(Microsoft.Extensions.Logging.Abstractions.NullLogger<InProcessAssessmentLive>.Instance);
        var id = Guid.NewGuid();
        static Task Nothing<T>(T _) => Task.CompletedTask;

        var ana1 = live.Join(id, new PresentUser("ana", "Ana"), Nothing, Nothing);
        var ana2 = live.Join(id, new PresentUser("ana", "Ana"), Nothing, Nothing);
        var ben = live.Join(id, new PresentUser("ben", "Ben"), Nothing, Nothing);
        Assert.Equal(["Ana", "Ben"], live.Present(id).Select(p => p.DisplayName));

        ben.Dispose();
        ana1.Dispose();
        Assert.Equal(["Ana"], live.Present(id).Select(p => p.DisplayName));
        ana2.Dispose();
        Assert.Empty(live.Present(id));
    }
}
