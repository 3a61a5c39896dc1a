using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Notifications;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Common;
using PalliativeToolkit.Web.Features.Statewide;
using PalliativeToolkit.Web.Features.Surveys;

namespace PalliativeToolkit.Web.Tests;

internal static class SurveyKit
{
    public static QuestionDefinition Number(string text, int? min = 0, int? max = 10, PortalSource source = PortalSource.None) =>
        new(text, null, QuestionKind.Number, [], min, max, source);

    public static QuestionDefinition Single(string text, params string[] options) => new(text, null, QuestionKind.SingleChoice, options, null, null, PortalSource.None);

    public static QuestionDefinition Multiple(string text, params string[] options) => new(text, null, QuestionKind.MultipleChoice, options, null, null, PortalSource.None);

    public static QuestionDefinition Scale(string text) => new(text, null, QuestionKind.Scale, [], null, null, PortalSource.None);

    public static QuestionDefinition Text(string text) => new(text, null, QuestionKind.Text, [], null, null, PortalSource.None);

    public static QuestionDefinition Grid(string text, PortalSource source = PortalSource.None) => new(text, null, QuestionKind.CountyGrid, [], null, null, source);
}

/// <summary>Reviewers build a wave from the bank, open it (one open wave per audience) and close it; nobody else may.</summary>
public class SurveyBuildingTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private SurveyService Surveys => factory.Services.CreateScope().ServiceProvider.GetRequiredService<SurveyService>();

    [Fact]
    public async Task A_reviewer_builds_a_wave_from_the_bank_orders_it_opens_and_closes_it()
    {
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var today = DateOnly.FromDateTime(factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        var first = (await Surveys.AddQuestionAsync(reviewer.Principal, new QuestionCommand { Text = "Do you offer a 24/7 line?", Kind = QuestionKind.SingleChoice, Options = "Yes\nNo\n\n" })).Value;
        var second = (await Surveys.AddQuestionAsync(reviewer.Principal, new QuestionCommand { Text = "How many plans do you work with?", Kind = QuestionKind.Number, Minimum = 0, Maximum = 50, Source = PortalSource.PartnersAndCounties })).Value;
        var id = (await Surveys.CreateWaveAsync(reviewer.Principal, new WaveCommand { Title = "2021 providers", Audience = SurveyAudience.Providers, Year = 2021, OpensOn = today.AddDays(-1), ClosesOn = today.AddDays(20) })).Value;

        var version = (await Surveys.GetWaveAsync(reviewer.Principal, id)).Value.Version;
        version = (await Surveys.AddItemAsync(reviewer.Principal, id, version, first)).Value;
        version = (await Surveys.AddItemAsync(reviewer.Principal, id, version, second)).Value;
        var stale = await Surveys.AddItemAsync(reviewer.Principal, id, Guid.NewGuid(), first);
        var twice = await Surveys.AddItemAsync(reviewer.Principal, id, version, first);
        var built = (await Surveys.GetWaveAsync(reviewer.Principal, id)).Value;
        version = (await Surveys.MoveItemAsync(reviewer.Principal, id, version, built.Items[1].Id, -1)).Value;
        var moved = (await Surveys.GetWaveAsync(reviewer.Principal, id)).Value;
        version = (await Surveys.OpenAsync(reviewer.Principal, id, version)).Value;
        var afterOpening = await Surveys.RemoveItemAsync(reviewer.Principal, id, version, moved.Items[0].Id);

        Assert.IsType<Failure.Conflict>(stale.Failure);
        Assert.Equal("That question is already in this wave.", twice.Message);
        Assert.Equal(["Yes", "No"], built.Items[0].Definition.Options);
        Assert.Equal([("Q1", "How many plans do you work with?"), ("Q2", "Do you offer a 24/7 line?")], moved.Items.Select(i => (i.Code, i.Definition.Text)));
        Assert.Equal("The questions of a wave are fixed once it has opened.", afterOpening.Message);
        Assert.Equal(SurveyStatus.Open, (await Surveys.GetWaveAsync(reviewer.Principal, id)).Value.Status);

        // A second wave of the same audience cannot open while this one is.
        var next = (await Surveys.CreateWaveAsync(reviewer.Principal, new WaveCommand { Title = "2022 providers", Audience = SurveyAudience.Providers, Year = 2022, OpensOn = today, ClosesOn = today.AddDays(5) })).Value;
        var nextVersion = (await Surveys.AddItemAsync(reviewer.Principal, next, (await Surveys.GetWaveAsync(reviewer.Principal, next)).Value.Version, first)).Value;
        var refused = await Surveys.OpenAsync(reviewer.Principal, next, nextVersion);
        await Surveys.CloseAsync(reviewer.Principal, id, version);
        var opened = await Surveys.OpenAsync(reviewer.Principal, next, nextVersion);

        Assert.Equal("\"2021 providers\" is open for the same organizations: close it before opening this one.", refused.Message);
        Assert.Equal(SurveyStatus.Closed, (await Surveys.GetWaveAsync(reviewer.Principal, id)).Value.Status);
        Assert.True(opened.Succeeded, opened.Message);
    }

    [Fact]
    public async Task Bad_questions_and_waves_are_refused_with_a_message_next_to_the_field()
    {
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var today = DateOnly.FromDateTime(factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);

        var oneChoice = await Surveys.AddQuestionAsync(reviewer.Principal, new QuestionCommand { Text = "Pick", Kind = QuestionKind.SingleChoice, Options = "Only one" });
        var mappedScale = await Surveys.AddQuestionAsync(reviewer.Principal, new QuestionCommand { Text = "Rate", Kind = QuestionKind.Scale, Source = PortalSource.PartnersAndCounties });
        var range = await Surveys.AddQuestionAsync(reviewer.Principal, new QuestionCommand { Text = "Count", Kind = QuestionKind.Number, Minimum = 10, Maximum = 5 });
        var blank = await Surveys.AddQuestionAsync(reviewer.Principal, new QuestionCommand { Text = " ", Kind = QuestionKind.Text });
        var blankChoice = await Surveys.AddQuestionAsync(reviewer.Principal, new QuestionCommand { Text = "", Kind = QuestionKind.SingleChoice });
        var disguised = await Surveys.AddQuestionAsync(reviewer.Principal,
            new QuestionCommand { Text = "How many \u202Emembers?", Help = "Count\u202E them", Kind = QuestionKind.SingleChoice, Options = "Yes\nNo\u202E" });
        var dates = await Surveys.CreateWaveAsync(reviewer.Principal, new WaveCommand { Title = "Backwards", Audience = SurveyAudience.Plans, Year = 2020, OpensOn = today, ClosesOn = today.AddDays(-1) });
        var year = await Surveys.CreateWaveAsync(reviewer.Principal, new WaveCommand { Title = "Too early", Audience = SurveyAudience.Plans, Year = 2010, OpensOn = today, ClosesOn = today });
        var taken = await Surveys.CreateWaveAsync(reviewer.Principal, new WaveCommand { Title = "Again", Audience = SurveyAudience.Plans, Year = today.Year, OpensOn = today, ClosesOn = today });

        Assert.Equal("Give at least two choices, one a line.", oneChoice.ErrorFor(nameof(QuestionCommand.Options)));
        Assert.Equal("Partners and counties fit a number question or a per-county grid.", mappedScale.ErrorFor(nameof(QuestionCommand.Source)));
        Assert.Equal("The largest number allowed can't be below the smallest.", range.ErrorFor(nameof(QuestionCommand.Maximum)));
        Assert.Equal("Write the question.", blank.ErrorFor(nameof(QuestionCommand.Text)));
        // Each field says its own: an empty choice question asks for the question, and for its choices.
        Assert.Equal("Write the question.", blankChoice.ErrorFor(nameof(QuestionCommand.Text)));
        Assert.Equal("Give at least two choices, one a line.", blankChoice.ErrorFor(nameof(QuestionCommand.Options)));
        // A question, its help and its choices are read by every organization: nothing may disguise them.
        Assert.Equal(TextRules.HiddenCharactersMessage, disguised.ErrorFor(nameof(QuestionCommand.Text)));
        Assert.Equal(TextRules.HiddenCharactersMessage, disguised.ErrorFor(nameof(QuestionCommand.Help)));
        Assert.Equal(TextRules.HiddenCharactersMessage, disguised.ErrorFor(nameof(QuestionCommand.Options)));
        Assert.Equal("The closing date can't be before the opening date.", dates.ErrorFor(nameof(WaveCommand.ClosesOn)));
        Assert.NotNull(year.ErrorFor(nameof(WaveCommand.Year)));
        Assert.Equal($"There is already a {today.Year} survey of plans.", taken.ErrorFor(nameof(WaveCommand.Year)));
    }

    [Fact]
    public async Task Only_statewide_reviewers_run_the_surveys()
    {
        var manager = await factory.PrincipalAsync("manager");
        var admin = await factory.Data.UserAsync(globalRole: GlobalRoles.Administrator);
        var wave = await factory.Data.SurveyWaveAsync(SurveyAudience.Providers, 2019, open: false);

        Assert.IsType<Failure.Refused>((await Surveys.AddQuestionAsync(manager, new QuestionCommand { Text = "Q", Kind = QuestionKind.Text })).Failure);
        Assert.IsType<Failure.Refused>((await Surveys.OpenAsync(manager, wave.Id, wave.Version)).Failure);
        Assert.IsType<Failure.Refused>((await Surveys.OpenAsync(admin.Principal, wave.Id, wave.Version)).Failure);
        Assert.IsType<Failure.Refused>((await Surveys.RemindersAsync(manager, wave.Id)).Failure);
        Assert.IsType<Failure.Refused>((await Surveys.BankAsync(manager)).Failure);
    }
}

/// <summary>
/// An organization answers: each kind of question checked, autosave and resume, a concurrent edit told and never
/// overwritten, a mapped question confirmed or corrected, and a manager submits.
/// </summary>
public class SurveyAnsweringTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private SurveyResponseService Responses => factory.Services.CreateScope().ServiceProvider.GetRequiredService<SurveyResponseService>();

    private async Task<(SurveyInstrument Wave, Organization Provider, Testing.TestUser Manager, Testing.TestUser Contributor)> ArrangeAsync(int year, params QuestionDefinition[] questions)
    {
        var provider = await factory.Data.ProviderAsync();
        var manager = await factory.Data.UserAsync(provider);
        var contributor = await factory.Data.UserAsync(provider, OrganizationRole.Contributor);
        var wave = await factory.Data.SurveyWaveAsync(SurveyAudience.Providers, year, questions);
        return (wave, provider, manager, contributor);
    }

    private static SaveAnswerCommand Save(SurveyFormView form, int index, SurveyValue? value) =>
        new(form.ResponseId!.Value, form.Questions[index].ItemId, form.Questions[index].Version, value);

    [Fact]
    public async Task Each_kind_of_question_takes_only_answers_that_fit_it()
    {
        var (wave, _, _, contributor) = await ArrangeAsync(2018,
            SurveyKit.Number("Nurses on staff", 0, 10), SurveyKit.Scale("Confidence"), SurveyKit.Grid("Patients per county"),
            SurveyKit.Single("24/7 line?", "Yes", "No"), SurveyKit.Multiple("Services", "Home visits", "Telehealth", "Chaplaincy"), SurveyKit.Text("Anything else?"));
        var form = (await Responses.GetFormAsync(contributor.Principal, wave.Id)).Value;

        var tooMany = await Responses.SaveAnswerAsync(contributor.Principal, Save(form, 0, SurveyValue.Of(11)));
        var negative = await Responses.SaveAnswerAsync(contributor.Principal, Save(form, 0, SurveyValue.Of(-1)));
        var offScale = await Responses.SaveAnswerAsync(contributor.Principal, Save(form, 1, SurveyValue.Of(6)));
        var atlantis = await Responses.SaveAnswerAsync(contributor.Principal, Save(form, 2, SurveyValue.Grid([new("06001", 3), new("06999", 1)])));
        var negativeCounty = await Responses.SaveAnswerAsync(contributor.Principal, Save(form, 2, SurveyValue.Grid([new("06001", -3)])));
        var maybe = await Responses.SaveAnswerAsync(contributor.Principal, Save(form, 3, SurveyValue.Choose(["Maybe"])));
        var both = await Responses.SaveAnswerAsync(contributor.Principal, Save(form, 3, SurveyValue.Choose(["Yes", "No"])));
        var unknownService = await Responses.SaveAnswerAsync(contributor.Principal, Save(form, 4, SurveyValue.Choose(["Home visits", "Massage"])));
        var tooLong = await Responses.SaveAnswerAsync(contributor.Principal, Save(form, 5, SurveyValue.Write(new string('x', 4001))));

        Assert.Equal("Enter a whole number from 0 to 10.", tooMany.ErrorFor("Value"));
        Assert.Equal("Enter a whole number from 0 to 10.", negative.ErrorFor("Value"));
        Assert.Equal("Choose a point on the scale from 1 to 5.", offScale.ErrorFor("Value"));
        Assert.Equal("\"06999\" is not a California county.", atlantis.ErrorFor("Value"));
        Assert.Equal("Enter a whole number from 0 to 1,000,000 for Alameda.", negativeCounty.ErrorFor("Value"));
        Assert.Equal("Choose one of the answers offered.", maybe.ErrorFor("Value"));
        Assert.Equal("Choose one of the answers offered.", both.ErrorFor("Value"));
        Assert.Equal("Choose among the answers offered.", unknownService.ErrorFor("Value"));
        Assert.Equal("Keep the answer under 4000 characters.", tooLong.ErrorFor("Value"));
        Assert.All(await factory.Data.StoredAsync(db => db.SurveyAnswers.Where(a => a.ResponseId == form.ResponseId).Select(a => a.Value).ToListAsync()), Assert.Null);

        // Answers that fit are saved, in a canonical form (choices in the question's order, counties by FIPS).
        Assert.True((await Responses.SaveAnswerAsync(contributor.Principal, Save(form, 0, SurveyValue.Of(10)))).Succeeded);
        Assert.True((await Responses.SaveAnswerAsync(contributor.Principal, Save(form, 1, SurveyValue.Of(5)))).Succeeded);
        Assert.True((await Responses.SaveAnswerAsync(contributor.Principal, Save(form, 2, SurveyValue.Grid([new("06097", 2), new("06055", 1)])))).Succeeded);
        var services = (await Responses.SaveAnswerAsync(contributor.Principal, Save(form, 4, SurveyValue.Choose(["Chaplaincy", "Home visits"])))).Value;
        Assert.Equal(["Home visits", "Chaplaincy"], services.Value!.Choices);
        var resumed = (await Responses.GetFormAsync(contributor.Principal, wave.Id)).Value;
        Assert.Equal("Napa 1, Sonoma 2", resumed.Questions[2].Value!.Describe());
        Assert.Equal(AnswerOrigin.Entered, resumed.Questions[0].Origin);
    }

    [Fact]
    public async Task What_one_person_typed_is_there_when_another_resumes_and_a_concurrent_edit_is_told_not_overwritten()
    {
        var (wave, _, manager, contributor) = await ArrangeAsync(2019, SurveyKit.Text("What would help most?"), SurveyKit.Scale("Confidence"));
        var mine = (await Responses.GetFormAsync(contributor.Principal, wave.Id)).Value;
        var theirs = (await Responses.GetFormAsync(manager.Principal, wave.Id)).Value;

        var saved = (await Responses.SaveAnswerAsync(contributor.Principal, Save(mine, 0, SurveyValue.Write("Monthly eligibility lists")))).Value;
        var other = (await Responses.SaveAnswerAsync(manager.Principal, Save(theirs, 1, SurveyValue.Of(4)))).Value;
        var clash = (await Responses.SaveAnswerAsync(manager.Principal, Save(theirs, 0, SurveyValue.Write("A single referral contact")))).Value;
        var disguised = await Responses.SaveAnswerAsync(manager.Principal, Save(theirs, 0, SurveyValue.Write("rtl \u202Eevil")));
        Assert.Equal(TextRules.HiddenCharactersMessage, disguised.ErrorFor("Value"));
        var resumed = (await Responses.GetFormAsync(manager.Principal, wave.Id)).Value;

        Assert.Equal(theirs.ResponseId, mine.ResponseId);
        Assert.False(saved.Conflict);
        Assert.False(other.Conflict);
        Assert.True(clash.Conflict);
        Assert.Equal("Monthly eligibility lists", clash.Value!.Text);
        Assert.Equal(contributor.DisplayName, clash.SavedBy);
        Assert.Equal("Monthly eligibility lists", resumed.Questions[0].Value!.Text);
        Assert.Equal(contributor.DisplayName, resumed.Questions[0].EditedBy);
        Assert.Equal(4, resumed.Questions[1].Value!.Number);

        // Keeping one's own after seeing theirs is a save at the version they saw.
        var kept = (await Responses.SaveAnswerAsync(manager.Principal, new SaveAnswerCommand(theirs.ResponseId!.Value, theirs.Questions[0].ItemId, clash.Version, SurveyValue.Write("A single referral contact")))).Value;
        Assert.False(kept.Conflict);
        Assert.Equal("A single referral contact", (await Responses.GetFormAsync(contributor.Principal, wave.Id)).Value.Questions[0].Value!.Text);
    }

    [Fact]
    public async Task A_manager_submits_once_every_question_is_answered_and_the_response_is_read_only_after()
    {
        var (wave, provider, manager, contributor) = await ArrangeAsync(2020, SurveyKit.Scale("Confidence"), SurveyKit.Single("24/7 line?", "Yes", "No"));
        var viewer = await factory.Data.UserAsync(provider, OrganizationRole.Viewer);
        var form = (await Responses.GetFormAsync(contributor.Principal, wave.Id)).Value;
        await Responses.SaveAnswerAsync(contributor.Principal, Save(form, 0, SurveyValue.Of(3)));

        var early = await Responses.SubmitAsync(manager.Principal, form.ResponseId!.Value);
        var read = (await Responses.GetFormAsync(viewer.Principal, wave.Id)).Value;
        var byViewer = await Responses.SaveAnswerAsync(viewer.Principal, Save(form, 1, SurveyValue.Choose(["Yes"])));
        await Responses.SaveAnswerAsync(contributor.Principal, Save(form, 1, SurveyValue.Choose(["Yes"])));
        var byContributor = await Responses.SubmitAsync(contributor.Principal, form.ResponseId!.Value);
        var submitted = await Responses.SubmitAsync(manager.Principal, form.ResponseId!.Value);
        var after = (await Responses.GetFormAsync(contributor.Principal, wave.Id)).Value;
        var late = await Responses.SaveAnswerAsync(contributor.Principal, new SaveAnswerCommand(form.ResponseId!.Value, after.Questions[0].ItemId, after.Questions[0].Version, SurveyValue.Of(1)));
        var fromBefore = await Responses.SaveAnswerAsync(contributor.Principal, Save(form, 0, SurveyValue.Of(2))); // a page loaded before the submission

        Assert.Equal("Answer every question before submitting: Q2 is not answered yet.", early.Message);
        Assert.False(read.CanEdit);
        Assert.IsType<Failure.Refused>(byViewer.Failure);
        Assert.Equal("Only a manager of this organization can submit the survey.", byContributor.Message);
        Assert.True(submitted.Succeeded, submitted.Message);
        Assert.False(after.CanEdit);
        Assert.NotNull(after.SubmittedAt);
        Assert.Equal("This response was submitted: it can no longer change.", late.Message);
        Assert.Equal("This response was submitted: it can no longer change.", fromBefore.Message);
        Assert.Equal(3, (await Responses.GetFormAsync(manager.Principal, wave.Id)).Value.Questions[0].Value!.Number);
    }

    [Fact]
    public async Task A_mapped_question_opens_with_the_portal_value_and_records_whether_it_was_confirmed_or_corrected()
    {
        var plan = await factory.Data.PlanAsync(counties: "Napa,Sonoma");
        var manager = await factory.Data.UserAsync(plan);
        var first = await factory.Data.ProviderAsync();
        var second = await factory.Data.ProviderAsync();
        await factory.Data.PartnershipAsync(plan, first);
        await factory.Data.PartnershipAsync(plan, second);
        await factory.Data.PartnershipAsync(plan, await factory.Data.ProviderAsync(), PartnershipStatus.Ended);
        var wave = await factory.Data.SurveyWaveAsync(SurveyAudience.Plans, 2021,
            [SurveyKit.Number("Active partners", 0, 100, PortalSource.PartnersAndCounties), SurveyKit.Grid("Partners per county", PortalSource.PartnersAndCounties),
             SurveyKit.Number("Open action items", 0, 100, PortalSource.ActionItemCounts), SurveyKit.Number("Elements at minimum", 0, 40, PortalSource.ElementLevels)]);

        var form = (await Responses.GetFormAsync(manager.Principal, wave.Id)).Value;
        const string Note = "From your partners list: 2 active partners, counties Napa (2), Sonoma (2).";
        Assert.Equal((2, Note), (form.Questions[0].Portal!.Value.Number, form.Questions[0].Portal!.Note));
        Assert.Equal("Napa 2, Sonoma 2", form.Questions[1].Portal!.Value.Describe());
        Assert.Equal((0, "From your action plan: 0 open items."), (form.Questions[2].Portal!.Value.Number, form.Questions[2].Portal!.Note));
        Assert.Null(form.Questions[3].Portal); // no submitted self-assessment yet
        Assert.All(form.Questions, q => Assert.Null(q.Value)); // the portal's value is offered, not an answer until confirmed

        var confirmed = (await Responses.SaveAnswerAsync(manager.Principal, Save(form, 0, form.Questions[0].Portal!.Value))).Value;
        var corrected = (await Responses.SaveAnswerAsync(manager.Principal, Save(form, 1, SurveyValue.Grid([new("06055", 2), new("06097", 1)])))).Value;
        var entered = (await Responses.SaveAnswerAsync(manager.Principal, Save(form, 3, SurveyValue.Of(7)))).Value;

        Assert.Equal(AnswerOrigin.ConfirmedFromPortal, confirmed.Origin);
        Assert.Equal(AnswerOrigin.CorrectedFromPortal, corrected.Origin);
        Assert.Equal(AnswerOrigin.Entered, entered.Origin);
        var stored = await factory.Data.StoredAsync(db => db.SurveyAnswers.Where(a => a.ResponseId == form.ResponseId && a.Value != null).ToListAsync());
        var grid = Assert.Single(stored, a => a.ItemId == form.Questions[1].ItemId);
        Assert.Equal("Napa 2, Sonoma 2", SurveyValue.Parse(grid.PortalValue)!.Describe());
        Assert.Equal(Note, grid.PortalNote);
        Assert.Equal(AnswerOrigin.CorrectedFromPortal, grid.Origin);
        Assert.Equal(Note, Assert.Single(stored, a => a.ItemId == form.Questions[0].ItemId).PortalNote);
    }

    [Fact]
    public async Task A_closed_or_not_yet_open_wave_takes_no_answers_and_starts_no_response()
    {
        var (wave, _, manager, _) = await ArrangeAsync(2022, SurveyKit.Scale("Confidence"));
        var form = (await Responses.GetFormAsync(manager.Principal, wave.Id)).Value;
        await factory.Data.CloseSurveyAsync(wave.Id);
        var draft = await factory.Data.SurveyWaveAsync(SurveyAudience.Providers, 2023, open: false);

        var late = await Responses.SaveAnswerAsync(manager.Principal, Save(form, 0, SurveyValue.Of(2)));
        var closed = (await Responses.GetFormAsync(manager.Principal, wave.Id)).Value;
        var notOpen = await Responses.GetFormAsync(manager.Principal, draft.Id);

        Assert.Equal("This survey has closed: answers can no longer change.", late.Message);
        Assert.False(closed.CanEdit);
        Assert.Equal("This survey has closed: answers can no longer change.", closed.ClosedMessage);
        Assert.IsType<Failure.NotFound>(notOpen.Failure);
    }

    [Fact]
    public async Task A_wave_made_with_an_earlier_waves_questions_and_not_opened_takes_no_answers()
    {
        var (earlier, _, manager, _) = await ArrangeAsync(2021, SurveyKit.Scale("Confidence"));

        var draft = await factory.Data.SurveyWaveAsync(SurveyAudience.Providers, 2024, open: false, sameQuestionsAs: earlier.Id);

        Assert.Equal(SurveyStatus.Draft, draft.Status);
        Assert.IsType<Failure.NotFound>((await Responses.GetFormAsync(manager.Principal, draft.Id)).Failure);
    }
}

/// <summary>
/// Results per question, by plan model and region, with small groups suppressed beyond reviewers; reminders to those who
/// have not submitted; exports for reviewers; and no plan ever reaching another plan's answers.
/// </summary>
public class SurveyResultsTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private IServiceProvider Scope => factory.Services.CreateScope().ServiceProvider;

    private SurveyResultsService Results => Scope.GetRequiredService<SurveyResultsService>();

    private SurveyResponseService Responses => Scope.GetRequiredService<SurveyResponseService>();

    private SurveyService Surveys => Scope.GetRequiredService<SurveyService>();

    private int ThisYear => factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().Year;

    private async Task<Guid> DemoWaveAsync(int yearsAgo)
    {
        var year = ThisYear - yearsAgo;
        return await factory.Data.StoredAsync(db => db.SurveyInstruments.Where(i => i.Audience == SurveyAudience.Plans && i.Year == year).Select(i => i.Id).SingleAsync());
    }

    [Fact]
    public void Groups_under_five_are_suppressed_with_the_smallest_shown_one_when_a_single_group_is_hidden()
    {
        Assert.Empty(CaliforniaProgressService.SuppressGroups<string>([("Bay Area", 5), ("Southern California", 9)]));
        Assert.Equal(["Bay Area", "Northern California"], CaliforniaProgressService.SuppressGroups<string>([("Bay Area", 6), ("Northern California", 2), ("Southern California", 9)]).Order());
        Assert.Equal(["A", "B"], CaliforniaProgressService.SuppressGroups<string>([("A", 3), ("B", 4), ("C", 7)]).Order());
        Assert.Equal(["A", "B", "C"], CaliforniaProgressService.SuppressGroups<string>([("A", 1), ("B", 2), ("C", 7)]).Order());
    }

    [Fact]
    public async Task Beyond_reviewers_a_statewide_figure_of_fewer_than_five_organizations_is_suppressed_and_each_sees_its_own_answers()
    {
        var lastYear = await DemoWaveAsync(1);
        var manager = await factory.PrincipalAsync("manager");
        var reviewer = await factory.PrincipalAsync("reviewer");

        var plan = (await Results.GetAsync(manager, lastYear)).Value;
        var statewide = (await Results.GetAsync(reviewer, lastYear)).Value;

        Assert.Equal(4, plan.Submitted);
        Assert.True(plan.Suppressed);
        Assert.Equal("Golden Poppy Health Plan (demo)", plan.OwnOrganization);
        Assert.All(plan.Questions, q => Assert.Equal([SurveyResultsService.Statewide], q.Groups.Select(g => g.Dimension)));
        Assert.All(plan.Questions, q => Assert.True(q.Groups[0].Suppressed && q.Groups[0].Counts.Count == 0 && q.Groups[0].Median is null));
        Assert.All(plan.Questions, q => Assert.NotNull(q.YourAnswer));
        Assert.False(statewide.Suppressed);
        var payment = statewide.Questions.Single(q => q.Kind == QuestionKind.SingleChoice);
        Assert.Equal(4, payment.Groups[0].Counts.Sum());
        Assert.Contains(payment.Groups, g => g.Dimension == SurveyResultsService.ByModel && g.Label == "COHS" && !g.Suppressed && g.Organizations == 1);
        Assert.Null(statewide.OwnOrganization);
    }

    [Fact]
    public async Task Model_and_region_groups_under_five_are_suppressed_for_plans_and_last_years_wave_stands_beside()
    {
        var question = SurveyKit.Scale("How confident are you?");
        var earlier = await factory.Data.SurveyWaveAsync(SurveyAudience.Plans, 2018, [question]);
        var wave = await factory.Data.SurveyWaveAsync(SurveyAudience.Plans, 2019, sameQuestionsAs: earlier.Id);
        var plans = new List<Organization>();
        for (var i = 0; i < 7; i++)
        {
            plans.Add(await factory.Data.PlanAsync(counties: i < 5 ? "Sacramento" : "Alameda", model: i < 5 ? PlanModel.Gmc : PlanModel.Cohs));
        }

        foreach (var (plan, i) in plans.Select((p, i) => (p, i)))
        {
            await factory.Data.SurveyResponseAsync(wave.Id, plan, _ => SurveyValue.Of(1 + (i % 5)), submit: true);
            await factory.Data.SurveyResponseAsync(earlier.Id, plan, _ => SurveyValue.Of(2), submit: i < 6);
        }

        await factory.Data.CloseSurveyAsync(earlier.Id);
        await factory.Data.CloseSurveyAsync(wave.Id); // beyond reviewers, figures appear once a wave is closed
        var member = await factory.Data.UserAsync(plans[0], OrganizationRole.Viewer);
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var seen = (await Results.GetAsync(member.Principal, wave.Id)).Value.Questions.Single();
        var all = (await Results.GetAsync(reviewer.Principal, wave.Id)).Value.Questions.Single();

        var state = seen.Groups.Single(g => g.Dimension == SurveyResultsService.Statewide);
        Assert.False(state.Suppressed);
        Assert.Equal(7, state.Counts.Sum());
        Assert.Equal([2, 2, 1, 1, 1], state.Counts);
        // COHS (2 plans) is under five; GMC (5) goes with it, or the statewide figure minus GMC would give COHS away.
        Assert.All(seen.Groups.Where(g => g.Dimension == SurveyResultsService.ByModel), g => Assert.True(g.Suppressed && g.Counts.Count == 0));
        Assert.DoesNotContain(seen.Groups, g => g.Dimension == SurveyResultsService.ByRegion); // regions overlap: reviewers only
        Assert.Equal("1", seen.YourAnswer); // the member's own plan's answer, beside the statewide figures
        Assert.All(all.Groups, g => Assert.False(g.Suppressed));
        Assert.Contains(all.Groups, g => g.Label == "COHS" && g.Organizations == 2);
        Assert.Equal([0, 6, 0, 0, 0], seen.Previous!.Counts); // last year's wave of the same bank question: six plans submitted
        Assert.Equal("Statewide, 2018", seen.Previous.Label);
    }

    [Fact]
    public async Task Overlapping_regions_are_shown_to_reviewers_only_so_statewide_minus_a_region_gives_no_plan_away()
    {
        // 1-5 serve Greater Sacramento only, 6-7 the Bay Area only, 8-12 Greater Sacramento and the San Joaquin Valley:
        // Sacramento 10, Bay Area 2, San Joaquin 5. Hiding the Bay Area and San Joaquin but showing Sacramento would let
        // statewide (12) minus Sacramento (10) give the two Bay Area plans' answers away.
        var wave = await factory.Data.SurveyWaveAsync(SurveyAudience.Plans, 2022, [SurveyKit.Single("Do you offer home visits?", "Yes", "No")]);
        var plans = new List<Organization>();
        for (var i = 1; i <= 12; i++)
        {
            plans.Add(await factory.Data.PlanAsync(counties: i <= 5 ? "Sacramento" : i <= 7 ? "Alameda" : "Sacramento,Fresno", model: PlanModel.Gmc));
        }

        foreach (var (plan, i) in plans.Select((p, i) => (p, i + 1)))
        {
            await factory.Data.SurveyResponseAsync(wave.Id, plan, _ => SurveyValue.Choose([i is 6 or 7 ? "No" : "Yes"]), submit: true);
        }

        await factory.Data.CloseSurveyAsync(wave.Id);
        var member = await factory.Data.UserAsync(plans[5], OrganizationRole.Viewer);
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);

        var seen = (await Results.GetAsync(member.Principal, wave.Id)).Value;
        var all = (await Results.GetAsync(reviewer.Principal, wave.Id)).Value;

        var question = seen.Questions.Single();
        Assert.Equal([10, 2], question.Groups.Single(g => g.Dimension == SurveyResultsService.Statewide).Counts);
        Assert.DoesNotContain(question.Groups, g => g.Dimension == SurveyResultsService.ByRegion);
        Assert.Equal("No", question.YourAnswer);
        var regions = all.Questions.Single().Groups.Where(g => g.Dimension == SurveyResultsService.ByRegion).ToDictionary(g => g.Label, g => g.Organizations);
        Assert.Equal(10, regions[CaliforniaCounties.GreaterSacramento]);
        Assert.Equal(2, regions[CaliforniaCounties.BayArea]);
        Assert.Equal(5, regions[CaliforniaCounties.SanJoaquinValley]);
        Assert.All(all.Questions.Single().Groups, g => Assert.False(g.Suppressed));
    }

    [Fact]
    public async Task Beyond_reviewers_an_open_waves_figures_wait_for_it_to_close_and_each_sees_its_own_answers_meanwhile()
    {
        // Each submission changes an open wave's figures: reading them before and after one would give that plan away.
        var wave = await factory.Data.SurveyWaveAsync(SurveyAudience.Plans, 2023, [SurveyKit.Scale("How ready are you?")]);
        var plans = new List<Organization>();
        for (var i = 0; i < 6; i++)
        {
            plans.Add(await factory.Data.PlanAsync(model: PlanModel.Gmc));
            await factory.Data.SurveyResponseAsync(wave.Id, plans[i], _ => SurveyValue.Of(1 + (i % 5)), submit: true);
        }

        var member = await factory.Data.UserAsync(plans[2], OrganizationRole.Viewer);
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);

        var whileOpen = (await Results.GetAsync(member.Principal, wave.Id)).Value;
        var reviewerWhileOpen = (await Results.GetAsync(reviewer.Principal, wave.Id)).Value;
        await factory.Data.CloseSurveyAsync(wave.Id);
        var closed = (await Results.GetAsync(member.Principal, wave.Id)).Value;

        Assert.True(whileOpen.HiddenUntilClosed);
        Assert.False(whileOpen.Suppressed); // six submitted: not the "fewer than five" rule
        Assert.Equal(wave.ClosesOn, whileOpen.ClosesOn); // the page says when the figures appear
        var openGroups = whileOpen.Questions.Single().Groups;
        Assert.Equal([SurveyResultsService.Statewide], openGroups.Select(g => g.Dimension));
        Assert.True(openGroups[0].Suppressed && openGroups[0].Counts.Count == 0 && openGroups[0].Median is null && openGroups[0].Mean is null);
        Assert.Equal("3", whileOpen.Questions.Single().YourAnswer);
        Assert.False(reviewerWhileOpen.HiddenUntilClosed);
        Assert.Equal([2, 1, 1, 1, 1], reviewerWhileOpen.Questions.Single().Groups[0].Counts);
        Assert.False(closed.HiddenUntilClosed);
        var statewide = closed.Questions.Single().Groups.Single(g => g.Dimension == SurveyResultsService.Statewide);
        Assert.False(statewide.Suppressed);
        Assert.Equal([2, 1, 1, 1, 1], statewide.Counts);
    }

    [Theory]
    [InlineData("results?submitted=yes")]
    [InlineData("results?organization=abc")]
    [InlineData("results?submitted=99999999999&organization=%00")]
    [InlineData("answer?organization=abc")]
    public async Task A_mangled_query_string_shows_the_page_not_an_error(string path)
    {
        var thisYear = await DemoWaveAsync(0);
        var client = await factory.SignedInClientAsync("manager");

        using var response = await client.GetAsync($"/community/surveys/{thisYear}/{path}", TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("survey of plans (demo)", html, StringComparison.Ordinal);
        Assert.Equal(path.Contains("organization=", StringComparison.Ordinal), html.Contains("The organization in the link is not valid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_previous_years_wave_of_the_same_question_stands_beside_this_years()
    {
        var thisYear = await DemoWaveAsync(0);
        var reviewer = await factory.PrincipalAsync("reviewer");

        var results = (await Results.GetAsync(reviewer, thisYear)).Value;

        Assert.Equal(ThisYear - 1, results.PreviousYear);
        var payment = results.Questions.Single(q => q.Kind == QuestionKind.SingleChoice);
        Assert.Equal(4, payment.Previous!.Counts.Sum());
        Assert.Equal(1, payment.Groups[0].Organizations); // Sierra Vista submitted so far
        Assert.Null(results.Questions.Single(q => q.Text.StartsWith("How many of the guide", StringComparison.Ordinal)).Previous); // not asked last year
    }

    [Fact]
    public async Task The_reminder_list_names_who_has_not_submitted_and_reminders_reach_their_managers_and_contributors()
    {
        var thisYear = await DemoWaveAsync(0);
        var reviewer = await factory.PrincipalAsync("reviewer");
        var manager = await factory.PrincipalAsync("manager");

        var list = (await Surveys.RemindersAsync(reviewer, thisYear)).Value;
        var refused = await Surveys.SendRemindersAsync(manager, thisYear);
        var sent = (await Surveys.SendRemindersAsync(reviewer, thisYear)).Value;

        Assert.Equal(ResponseState.Submitted, list.Rows.Single(r => r.Organization.StartsWith("Sierra Vista", StringComparison.Ordinal)).State);
        var bayshore = list.Rows.Single(r => r.Organization.StartsWith("Bayshore", StringComparison.Ordinal));
        Assert.Equal((ResponseState.InProgress, 2, 8), (bayshore.State, bayshore.Answered, bayshore.Questions));
        Assert.Equal(ResponseState.NotStarted, list.Rows.Single(r => r.Organization.StartsWith("Central Coast", StringComparison.Ordinal)).State);
        Assert.Equal(list.Rows.Count(r => r.State != ResponseState.Submitted), list.Outstanding.Count);
        Assert.IsType<Failure.Refused>(refused.Failure);
        Assert.Equal(list.Outstanding.Count, sent.Organizations);
        var told = await factory.Data.StoredAsync(db => (from n in db.Notifications
                                                         join u in db.Users on n.RecipientId equals u.Id
                                                         where n.Kind == NotificationKind.SurveyReminder
                                                         select u.Email!).ToListAsync());
        Assert.Contains($"manager@{PortalFactory.Domain}", told);
        Assert.Contains($"contributor@{PortalFactory.Domain}", told);
        Assert.DoesNotContain($"viewer@{PortalFactory.Domain}", told);
        Assert.DoesNotContain($"manager2@{PortalFactory.Domain}", told); // Sierra Vista submitted
        Assert.Equal(sent.People, told.Count);
        Assert.NotNull((await Surveys.RemindersAsync(reviewer, thisYear)).Value.RemindedAt);
    }

    [Fact]
    public async Task Reviewers_export_the_submitted_responses_with_formulas_kept_as_text_and_plans_cannot()
    {
        var wave = await factory.Data.SurveyWaveAsync(SurveyAudience.Plans, 2020, [SurveyKit.Text("Anything else?"), SurveyKit.Number("Partners", 0, 9)]);
        var plan = await factory.Data.PlanAsync();
        var draftPlan = await factory.Data.PlanAsync();
        const string Hyperlink = "=HYPERLINK(\"https://evil.example\",\"Open\")";
        await factory.Data.SurveyResponseAsync(wave.Id, plan, item => item.Kind == QuestionKind.Text ? SurveyValue.Write(Hyperlink) : SurveyValue.Of(3), submit: true);
        await factory.Data.SurveyResponseAsync(wave.Id, draftPlan, item => item.Kind == QuestionKind.Text ? SurveyValue.Write("draft only") : SurveyValue.Of(1));
        var reviewer = await factory.SignedInClientAsync("reviewer");
        var manager = await factory.SignedInClientAsync("manager");

        using var csvResponse = await reviewer.GetAsync($"/community/surveys/{wave.Id}/responses.csv");
        var csv = CsvFile.Parse(await csvResponse.Content.ReadAsByteArrayAsync());
        using var xlsx = await reviewer.GetAsync($"/community/surveys/{wave.Id}/responses.xlsx");
        using var byPlan = await manager.GetAsync($"/community/surveys/{wave.Id}/responses.csv");
        using var byPlanXlsx = await manager.GetAsync($"/community/surveys/{wave.Id}/responses.xlsx");

        Assert.Equal(HttpStatusCode.OK, csvResponse.StatusCode);
        Assert.StartsWith("attachment; filename=\"palliativetoolkit-survey-plans-2020-", csvResponse.Content.Headers.ContentDisposition!.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, csv.Rows.Count);
        Assert.All(csv.Rows, r => Assert.Equal(plan.Name, r[0]));
        Assert.Equal("'" + Hyperlink, csv.Rows.Single(r => r[csv.Column("Question")] == "Q1")[csv.Column("Answer")]);
        Assert.Equal("3", csv.Rows.Single(r => r[csv.Column("Question")] == "Q2")[csv.Column("Number")]);
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal(["Responses"], MiniExcelLibs.MiniExcel.GetSheetNames(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync())));
        foreach (var refused in new[] { byPlan, byPlanXlsx })
        {
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Contains("AccessDenied", refused.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        // The service refuses on its own too, whatever the endpoint's policy.
        var exports = Scope.GetRequiredService<SurveyExports>();
        var started = false;
        var direct = await exports.CsvAsync(await factory.PrincipalAsync("manager"), wave.Id, _ => { started = true; return Task.FromResult(Stream.Null); });
        Assert.IsType<Failure.Refused>(direct.Failure);
        Assert.False(started);
    }

    [Fact]
    public async Task A_plan_never_reaches_another_plans_survey_answers_by_page_or_id()
    {
        var thisYear = await DemoWaveAsync(0);
        var manager = await factory.PrincipalAsync("manager");
        var sierraManager = await factory.PrincipalAsync("manager2");
        var sierra = (await Responses.GetFormAsync(sierraManager, thisYear)).Value;
        var goldenPoppy = (await Responses.GetFormAsync(manager, thisYear)).Value;

        var byOrganization = await Responses.GetFormAsync(manager, thisYear, sierra.OrganizationId);
        var byResponse = await Responses.SaveAnswerAsync(manager, new SaveAnswerCommand(sierra.ResponseId!.Value, sierra.Questions[0].ItemId, sierra.Questions[0].Version, SurveyValue.Of(9)));
        var bySubmit = await Responses.SubmitAsync(manager, sierra.ResponseId!.Value);
        var results = await Results.GetAsync(manager, thisYear, sierra.OrganizationId);
        var own = (await Results.GetAsync(manager, thisYear)).Value;

        Assert.NotEqual(sierra.ResponseId, goldenPoppy.ResponseId);
        Assert.IsType<Failure.NotFound>(byOrganization.Failure);
        Assert.IsType<Failure.NotFound>(byResponse.Failure);
        Assert.IsType<Failure.NotFound>(bySubmit.Failure);
        Assert.IsType<Failure.NotFound>(results.Failure);
        Assert.Equal("Golden Poppy Health Plan (demo)", own.OwnOrganization);
        Assert.All(own.Questions, q => Assert.Null(q.YourAnswer)); // Golden Poppy has answered nothing yet: Sierra Vista's answers are not its own
        Assert.True(own.Suppressed);
        var reached = await OrganizationsReachedAsync(manager);
        Assert.DoesNotContain(sierra.OrganizationId, reached);
        Assert.NotEmpty(reached);
    }

    private async Task<List<Guid>> OrganizationsReachedAsync(System.Security.Claims.ClaimsPrincipal principal)
    {
        await using var op = await Scope.GetRequiredService<OperationRunner>().OpenAsync(principal);
        return await op.Db.SurveyAnswers.Select(a => a.OrganizationId).Concat(op.Db.SurveyResponses.Select(r => r.OrganizationId)).ToListAsync();
    }
}
