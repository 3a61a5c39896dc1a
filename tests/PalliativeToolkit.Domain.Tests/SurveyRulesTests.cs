using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Community;

namespace PalliativeToolkit.Domain.Tests;

/// <summary>The rules of a survey wave and its answers, as the domain keeps them.</summary>
public class SurveyRulesTests
{
    private static readonly DateTime Now = new(2026, 10, 1, 17, 0, 0, DateTimeKind.Utc);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now);

    private static SurveyQuestion Question(QuestionKind kind, string text = "Q", string[]? options = null, int? min = null, int? max = null, PortalSource source = PortalSource.None) =>
        new(new QuestionDefinition(text, null, kind, options ?? [], min, max, source), Now, "reviewer");

    private static SurveyInstrument Wave(params SurveyQuestion[] questions)
    {
        var wave = new SurveyInstrument("2026 plans", SurveyAudience.Plans, 2026, Today.AddDays(-1), Today.AddDays(30), Now, "reviewer");
        foreach (var question in questions)
        {
            wave.Add(question);
        }

        return wave;
    }

    [Fact]
    public void A_wave_opens_only_with_questions_and_its_questions_are_fixed_once_open()
    {
        var empty = Wave();
        var question = Question(QuestionKind.Scale);
        var wave = Wave(question, Question(QuestionKind.Text));

        Assert.Equal("Add at least one question before opening the wave.", Assert.Throws<DomainException>(() => empty.Open(Now)).Message);
        wave.Move(wave.Items[1].Id, -1);
        Assert.Equal([QuestionKind.Text, QuestionKind.Scale], wave.Items.OrderBy(i => i.Order).Select(i => i.Kind));
        Assert.Equal(["Q1", "Q2"], wave.Items.OrderBy(i => i.Order).Select(i => i.Code));
        wave.Open(Now);
        Assert.Throws<DomainException>(() => wave.Add(Question(QuestionKind.Text)));
        Assert.Throws<DomainException>(() => wave.Remove(wave.Items[0].Id));
        Assert.True(wave.IsAnswerable(Today));
        Assert.False(wave.IsAnswerable(Today.AddDays(31)));
        wave.Close(Now);
        Assert.False(wave.IsAnswerable(Today));
    }

    [Fact]
    public void A_wave_copies_the_wording_so_a_later_change_to_the_bank_leaves_it_as_asked()
    {
        var question = Question(QuestionKind.SingleChoice, "Do you offer home visits?", ["Yes", "No"]);
        var wave = Wave(question);

        question.Define(new QuestionDefinition("Do you offer visits at home?", null, QuestionKind.SingleChoice, ["Yes", "No", "Planned"], null, null, PortalSource.None));

        Assert.Equal("Do you offer home visits?", wave.Items[0].Text);
        Assert.Equal(["Yes", "No"], wave.Items[0].Options);
        Assert.Equal(question.Id, wave.Items[0].QuestionId);
    }

    [Fact]
    public void A_question_definition_that_does_not_hold_together_is_refused()
    {
        Assert.Throws<DomainException>(() => Question(QuestionKind.SingleChoice, options: ["Only"]));
        Assert.Throws<DomainException>(() => Question(QuestionKind.SingleChoice, options: ["Yes", "yes"]));
        Assert.Throws<DomainException>(() => Question(QuestionKind.Scale, source: PortalSource.ElementLevels));
        Assert.Throws<DomainException>(() => Question(QuestionKind.Number, min: 5, max: 1));
        Assert.Throws<DomainException>(() => Question(QuestionKind.Text, text: " "));
    }

    [Fact]
    public void Values_are_stored_in_one_canonical_form()
    {
        var question = Question(QuestionKind.MultipleChoice, options: ["Home visits", "Telehealth", "Chaplaincy"]).Definition;
        var grid = Question(QuestionKind.CountyGrid).Definition;

        var (choices, _) = question.Check(SurveyValue.Choose(["Chaplaincy", "Home visits"]));
        var (counties, _) = grid.Check(SurveyValue.Grid([new("06097", 2), new("06055", 1)]));

        Assert.Equal(["Home visits", "Chaplaincy"], choices!.Choices);
        Assert.Equal("{\"g\":{\"06055\":1,\"06097\":2}}", counties!.Serialize());
        Assert.Equal("Napa 1, Sonoma 2", SurveyValue.Parse(counties.Serialize())!.Describe());
        Assert.Equal(counties.Serialize(), SurveyValue.Grid([new("06055", 1), new("06097", 2)]).Serialize());
    }

    [Fact]
    public void An_answer_equal_to_the_portal_value_was_confirmed_another_corrected_it_and_without_one_it_was_entered()
    {
        var mapped = Question(QuestionKind.Number, min: 0, max: 50, source: PortalSource.PartnersAndCounties);
        var plain = Question(QuestionKind.Scale);
        var wave = Wave(mapped, plain);
        wave.Open(Now);
        var response = SurveyResponse.Start(wave, Guid.NewGuid(), Today, Now, "manager");
        var portal = (SurveyValue.Of(3), "From your partners list: 3 active partners, no counties.");

        var confirmed = response.Record(wave.Items[0], SurveyValue.Of(3), portal, Now, "manager").Origin;
        var corrected = response.Record(wave.Items[0], SurveyValue.Of(4), portal, Now, "manager");
        var entered = response.Record(wave.Items[1], SurveyValue.Of(5), null, Now, "contributor").Origin;

        Assert.Equal(AnswerOrigin.ConfirmedFromPortal, confirmed);
        Assert.Equal(AnswerOrigin.CorrectedFromPortal, corrected.Origin);
        Assert.Equal("3", SurveyValue.Parse(corrected.PortalValue)!.Describe());
        Assert.Equal(portal.Item2, corrected.PortalNote);
        Assert.Equal(AnswerOrigin.Entered, entered);
        Assert.Equal("Choose a point on the scale from 1 to 5.", Assert.Throws<DomainException>(() => response.Record(wave.Items[1], SurveyValue.Of(0), null, Now, "manager")).Message);
    }

    [Fact]
    public void A_response_is_submitted_once_every_question_is_answered_and_is_read_only_after()
    {
        var wave = Wave(Question(QuestionKind.Scale), Question(QuestionKind.Text));
        wave.Open(Now);
        var response = SurveyResponse.Start(wave, Guid.NewGuid(), Today, Now, "manager");
        response.Record(wave.Items[0], SurveyValue.Of(2), null, Now, "manager");
        var before = response.Answers.Select(a => a.Version).ToList();

        var refused = Assert.Throws<DomainException>(() => response.Submit(wave.Items, Now, "manager"));
        response.Record(wave.Items[1], SurveyValue.Write("None"), null, Now, "manager");
        response.Submit(wave.Items, Now, "manager");

        Assert.Equal("Answer every question before submitting: Q2 is not answered yet.", refused.Message);
        Assert.True(response.IsSubmitted);
        Assert.All(response.Answers.Select(a => a.Version), v => Assert.DoesNotContain(v, before));
        Assert.Throws<DomainException>(() => response.Record(wave.Items[0], SurveyValue.Of(3), null, Now, "manager"));
    }

    [Fact]
    public void No_response_starts_outside_the_waves_dates_or_while_it_is_not_open()
    {
        var wave = Wave(Question(QuestionKind.Scale));

        Assert.Equal("This survey is not open yet.", Assert.Throws<DomainException>(() => SurveyResponse.Start(wave, Guid.NewGuid(), Today, Now, "manager")).Message);
        wave.Open(Now);
        Assert.StartsWith("This survey closed on", Assert.Throws<DomainException>(() => SurveyResponse.Start(wave, Guid.NewGuid(), Today.AddDays(40), Now, "manager")).Message, StringComparison.Ordinal);
        Assert.StartsWith("This survey opens on", Assert.Throws<DomainException>(() => SurveyResponse.Start(wave, Guid.NewGuid(), Today.AddDays(-5), Now, "manager")).Message, StringComparison.Ordinal);
    }
}
