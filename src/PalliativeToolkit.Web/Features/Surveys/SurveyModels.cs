using FluentValidation;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Surveys;

/// <summary>A question of the bank as reviewers list it.</summary>
public sealed record BankQuestion(Guid Id, QuestionDefinition Definition, bool Retired, int Waves);

/// <summary>A wave as the surveys page lists it.</summary>
public sealed record WaveSummary(
    Guid Id, string Title, SurveyAudience Audience, int Year, DateOnly OpensOn, DateOnly ClosesOn, SurveyStatus Status, int Questions, int Submitted, int Organizations,
    bool Answerable, ResponseState? Mine, Guid? MyOrganizationId);

/// <summary>Where an organization's response stands.</summary>
public enum ResponseState
{
    NotStarted,
    InProgress,
    Submitted,
}

public static class ResponseStateText
{
    public static string Describe(this ResponseState state) => state switch
    {
        ResponseState.InProgress => "In progress",
        ResponseState.Submitted => "Submitted",
        _ => "Not started",
    };
}

/// <summary>The surveys page: reviewers see every wave; members the waves of their organizations' audiences that have opened.</summary>
public sealed record SurveysView(bool RunsSurveys, IReadOnlyList<WaveSummary> Waves);

/// <summary>A wave as reviewers build and run it.</summary>
public sealed record WaveView(
    Guid Id, Guid Version, string Title, SurveyAudience Audience, int Year, DateOnly OpensOn, DateOnly ClosesOn, SurveyStatus Status, DateTime? RemindedAt,
    IReadOnlyList<WaveItem> Items, IReadOnlyList<BankQuestion> Bank);

public sealed record WaveItem(Guid Id, string Code, QuestionDefinition Definition);

/// <summary>An organization of the wave's audience and where its response stands (the reminder list).</summary>
public sealed record ReminderRow(Guid OrganizationId, string Organization, ResponseState State, int Answered, int Questions, DateTime? LastEdited);

public sealed record ReminderList(Guid InstrumentId, string Title, SurveyStatus Status, DateTime? RemindedAt, IReadOnlyList<ReminderRow> Rows)
{
    public IReadOnlyList<ReminderRow> Outstanding => Rows.Where(r => r.State != ResponseState.Submitted).ToList();
}

public sealed record RemindersSent(int Organizations, int People);

/// <summary>What the portal knows for a mapped question, and where it comes from ("from your partners list: …").</summary>
public sealed record PortalFact(SurveyValue Value, string Note);

/// <summary>One question of the form, with the organization's answer as stored.</summary>
public sealed class QuestionForm
{
    public required Guid ItemId { get; init; }
    public required string Code { get; init; }
    public required QuestionDefinition Definition { get; init; }
    public Guid? AnswerId { get; init; }
    public Guid Version { get; set; }
    public SurveyValue? Value { get; set; }
    public AnswerOrigin Origin { get; set; }
    public string? EditedBy { get; set; }
    public PortalFact? Portal { get; init; }
}

/// <summary>An organization's response to a wave as its members answer it.</summary>
public sealed record SurveyFormView(
    Guid InstrumentId, Guid? ResponseId, Guid OrganizationId, string Organization, string Title, int Year, SurveyAudience Audience, DateOnly ClosesOn,
    bool Answerable, string? ClosedMessage, bool CanEdit, bool CanSubmit, DateTime? SubmittedAt, string? SubmittedBy, IReadOnlyList<QuestionForm> Questions);

/// <summary>One answer as the page sends it: the version it was loaded at (a concurrent change is told, never overwritten).</summary>
public sealed record SaveAnswerCommand(Guid ResponseId, Guid ItemId, Guid ExpectedVersion, SurveyValue? Value);

/// <summary>
/// The result of saving an answer: saved (its new version), or not saved because someone else saved a different answer
/// meanwhile (<see cref="Conflict"/>: the stored answer and who saved it, for the person to choose).
/// </summary>
public sealed record AnswerSaved(Guid Version, SurveyValue? Value, AnswerOrigin Origin, bool Conflict, string? SavedBy);

public sealed record QuestionCommand
{
    public string Text { get; init; } = string.Empty;
    public string? Help { get; init; }
    public QuestionKind Kind { get; init; } = QuestionKind.SingleChoice;

    /// <summary>One choice a line.</summary>
    public string Options { get; init; } = string.Empty;
    public int? Minimum { get; init; }
    public int? Maximum { get; init; }
    public PortalSource Source { get; init; }

    public QuestionDefinition ToDefinition() =>
        QuestionDefinition.Clean(Text, Help, Kind, Options.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), Minimum, Maximum, Source);
}

public sealed class QuestionValidator : AbstractValidator<QuestionCommand>
{
    public QuestionValidator()
    {
        RuleFor(c => c.Text).NotEmpty().WithMessage("Write the question.").MaximumLength(Limits.ShortText).WithMessage($"Keep the question under {Limits.ShortText} characters.")
            .PlainLine();
        RuleFor(c => c.Help).MaximumLength(Limits.ShortText).WithMessage($"Keep the help under {Limits.ShortText} characters.").PlainLine();
        RuleFor(c => c.Options).PlainText();
        RuleFor(c => c.Kind).IsInEnum().WithMessage("Choose the kind of question.");
        RuleFor(c => c.Source).IsInEnum().WithMessage("Choose what the question may open with.")
            .Must((c, source) => SurveyText.Fits(source, c.Kind))
            .WithMessage(c => c.Source == PortalSource.PartnersAndCounties ? "Partners and counties fit a number question or a per-county grid." : $"{c.Source.Describe()} fit a number question only.");
        // The choices' own problem, whatever the question says (an empty question is its own field's error).
        RuleFor(c => c.Options).Must((c, _) => c.Kind is not (QuestionKind.SingleChoice or QuestionKind.MultipleChoice) || ChoicesProblem(c) is null)
            .WithMessage(c => ChoicesProblem(c) ?? string.Empty);
        RuleFor(c => c.Minimum).GreaterThanOrEqualTo(0).When(c => c.Kind == QuestionKind.Number && c.Minimum is not null).WithMessage("Numbers start at 0 or more.");
        RuleFor(c => c.Maximum).Must((c, max) => c.Minimum is null || max is null || max >= c.Minimum)
            .When(c => c.Kind == QuestionKind.Number).WithMessage("The largest number allowed can't be below the smallest.");
    }

    private static string? ChoicesProblem(QuestionCommand command) =>
        (command with { Text = string.IsNullOrWhiteSpace(command.Text) ? "?" : command.Text, Source = PortalSource.None }).ToDefinition().Problem();
}

public sealed record WaveCommand
{
    public string Title { get; init; } = string.Empty;
    public SurveyAudience Audience { get; init; }
    public int Year { get; init; }
    public DateOnly? OpensOn { get; init; }
    public DateOnly? ClosesOn { get; init; }
}

public sealed class WaveValidator : AbstractValidator<WaveCommand>
{
    public WaveValidator()
    {
        RuleFor(c => c.Title).NotEmpty().WithMessage("Give the wave a title.").MaximumLength(Limits.Title).WithMessage($"Keep the title under {Limits.Title} characters.");
        RuleFor(c => c.Audience).IsInEnum().WithMessage("Choose plans or providers.");
        RuleFor(c => c.Year).InclusiveBetween(SurveyInstrument.EarliestYear, DateRules.LatestYear).WithMessage($"Choose a year from {SurveyInstrument.EarliestYear}.");
        RuleFor(c => c.OpensOn).NotNull().WithMessage("Choose the opening date.").PlausibleDate();
        RuleFor(c => c.ClosesOn).NotNull().WithMessage("Choose the closing date.").PlausibleDate()
            .Must((c, closes) => c.OpensOn is null || closes is null || closes >= c.OpensOn).WithMessage("The closing date can't be before the opening date.");
    }
}

/// <summary>The results of a wave as the viewer may see them.</summary>
public sealed record SurveyResultsView(
    Guid InstrumentId, string Title, int Year, SurveyAudience Audience, SurveyStatus Status, int Organizations, int Submitted, bool SeesEveryGroup, bool Suppressed,
    bool HiddenUntilClosed, DateOnly ClosesOn, int? PreviousYear, string? OwnOrganization, bool CanExport, IReadOnlyList<QuestionResult> Questions);

/// <summary>One question's distribution: its categories (choices, points of the scale, regions for a county grid) and a row per group.</summary>
public sealed record QuestionResult(
    string Code, string Text, QuestionKind Kind, IReadOnlyList<string> Categories, IReadOnlyList<GroupResult> Groups, GroupResult? Previous,
    string? YourAnswer, AnswerOrigin YourOrigin);

/// <summary>
/// A group's figures: organizations that answered and, per category, how many chose it (or, for a number, the median and
/// mean). A suppressed group shows no figures.
/// </summary>
public sealed record GroupResult(string Dimension, string Label, int Organizations, bool Suppressed, IReadOnlyList<int> Counts, double? Median, double? Mean);
