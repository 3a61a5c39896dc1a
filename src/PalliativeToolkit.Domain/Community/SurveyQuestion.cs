using System.Globalization;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Organizations;

namespace PalliativeToolkit.Domain.Community;

/// <summary>How a survey question is answered.</summary>
public enum QuestionKind
{
    SingleChoice,
    MultipleChoice,

    /// <summary>A whole number within the question's range.</summary>
    Number,
    Text,

    /// <summary>1 (lowest) to 5 (highest).</summary>
    Scale,

    /// <summary>A whole number for each of the California counties the organization names (only the 58 counties).</summary>
    CountyGrid,
}

/// <summary>What the portal already knows that a question may open with (the respondent confirms or corrects it).</summary>
public enum PortalSource
{
    None,

    /// <summary>The organization's active partnerships: their number (a number question) or, per county, how many serve it (a county grid).</summary>
    PartnersAndCounties,

    /// <summary>Elements at minimum or better in the organization's latest submitted self-assessment (a number question).</summary>
    ElementLevels,

    /// <summary>Open items of the organization's action plan (a number question).</summary>
    ActionItemCounts,
}

/// <summary>Which organizations a survey wave asks.</summary>
public enum SurveyAudience
{
    Plans,
    Providers,
}

public static class SurveyText
{
    public static string Describe(this QuestionKind kind) => kind switch
    {
        QuestionKind.SingleChoice => "Single choice",
        QuestionKind.MultipleChoice => "Multiple choice",
        QuestionKind.Number => "Number",
        QuestionKind.Text => "Text",
        QuestionKind.Scale => "Scale of 1 to 5",
        QuestionKind.CountyGrid => "Per-county grid",
        _ => kind.ToString(),
    };

    public static string Describe(this PortalSource source) => source switch
    {
        PortalSource.PartnersAndCounties => "Partners and counties",
        PortalSource.ElementLevels => "Element levels",
        PortalSource.ActionItemCounts => "Action-item counts",
        _ => "None",
    };

    public static string Describe(this SurveyAudience audience) => audience == SurveyAudience.Plans ? "Plans" : "Providers";

    /// <summary>The kind of organization the audience is.</summary>
    public static OrganizationKind Kind(this SurveyAudience audience) =>
        audience == SurveyAudience.Plans ? OrganizationKind.ManagedCarePlan : OrganizationKind.PalliativeCareProvider;

    /// <summary>The audience an organization of this kind answers as, or null (statewide support answers no survey).</summary>
    public static SurveyAudience? AudienceOf(OrganizationKind kind) => kind switch
    {
        OrganizationKind.ManagedCarePlan => SurveyAudience.Plans,
        OrganizationKind.PalliativeCareProvider => SurveyAudience.Providers,
        _ => null,
    };

    /// <summary>Whether a question of <paramref name="kind"/> can open with values of <paramref name="source"/>.</summary>
    public static bool Fits(PortalSource source, QuestionKind kind) => source switch
    {
        PortalSource.None => true,
        PortalSource.PartnersAndCounties => kind is QuestionKind.Number or QuestionKind.CountyGrid,
        _ => kind == QuestionKind.Number,
    };
}

/// <summary>
/// What defines a question: its wording, kind, choices (for the choice kinds), range (for numbers) and the portal data it
/// may open with. A bank question holds one; an instrument copies it when the question is added, so a wave keeps the
/// wording it asked even when the bank changes.
/// </summary>
public sealed record QuestionDefinition(string Text, string? Help, QuestionKind Kind, IReadOnlyList<string> Options, int? Minimum, int? Maximum, PortalSource Source)
{
    public const int MaxOptions = 12;
    public const int MaxOptionLength = 120;
    public const int MaxCountyValue = 1_000_000;

    /// <summary>What is wrong with the definition, in words for the person building the bank, or null when it holds together.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(Text))
        {
            return "Write the question.";
        }

        if (!Enum.IsDefined(Kind))
        {
            return "Choose the kind of question.";
        }

        if (!Enum.IsDefined(Source) || !SurveyText.Fits(Source, Kind))
        {
            return Source == PortalSource.PartnersAndCounties
                ? "Partners and counties fit a number question or a per-county grid."
                : $"{Source.Describe()} fit a number question only.";
        }

        if (Kind is QuestionKind.SingleChoice or QuestionKind.MultipleChoice)
        {
            if (Options.Count < 2)
            {
                return "Give at least two choices, one a line.";
            }

            if (Options.Count > MaxOptions)
            {
                return $"Give at most {MaxOptions} choices.";
            }

            if (Options.Distinct(StringComparer.OrdinalIgnoreCase).Count() != Options.Count)
            {
                return "Each choice must be different.";
            }

            if (Options.Any(o => o.Length > MaxOptionLength))
            {
                return $"Keep each choice under {MaxOptionLength} characters.";
            }
        }
        else if (Options.Count > 0)
        {
            return "Only choice questions have choices.";
        }

        if (Kind == QuestionKind.Number && Minimum is { } min && Maximum is { } max && min > max)
        {
            return "The smallest number allowed can't be above the largest.";
        }

        return null;
    }

    /// <summary>The definition with its text trimmed and choices cleaned (blank lines left out).</summary>
    public static QuestionDefinition Clean(string text, string? help, QuestionKind kind, IEnumerable<string>? options, int? minimum, int? maximum, PortalSource source)
    {
        var choices = kind is QuestionKind.SingleChoice or QuestionKind.MultipleChoice
            ? (options ?? []).Select(o => o.Trim()).Where(o => o.Length > 0).ToList()
            : [];
        var numeric = kind == QuestionKind.Number;
        return new QuestionDefinition((text ?? string.Empty).Trim(), string.IsNullOrWhiteSpace(help) ? null : help.Trim(), kind, choices,
            numeric ? minimum : null, numeric ? maximum : null, source);
    }

    /// <summary>
    /// Reads what a respondent entered (<see cref="SurveyValue"/>): the value, or the message shown next to the question
    /// when it does not fit (a number out of range, a scale outside 1 to 5, a county that is not one of California's, a
    /// choice the question does not offer).
    /// </summary>
    public (SurveyValue? Value, string? Error) Check(SurveyValue? value)
    {
        if (value is null || value.IsEmpty)
        {
            return (null, null);
        }

        switch (Kind)
        {
            case QuestionKind.SingleChoice:
                return value.Choices.Count == 1 && Options.Contains(value.Choices[0]) ? (SurveyValue.Choose(value.Choices), null) : (null, "Choose one of the answers offered.");
            case QuestionKind.MultipleChoice:
                return value.Choices.Count > 0 && value.Choices.All(Options.Contains)
                    ? (SurveyValue.Choose(Options.Where(value.Choices.Contains)), null)
                    : (null, "Choose among the answers offered.");
            case QuestionKind.Number:
                if (value.Number is not { } number)
                {
                    return (null, "Enter a whole number.");
                }

                if (number < (Minimum ?? 0) || (Maximum is { } max && number > max))
                {
                    return (null, Maximum is { } top ? $"Enter a whole number from {Minimum ?? 0} to {top}." : $"Enter a whole number of at least {Minimum ?? 0}.");
                }

                return (SurveyValue.Of(number), null);
            case QuestionKind.Scale:
                return value.Number is >= 1 and <= 5 ? (SurveyValue.Of(value.Number.Value), null) : (null, "Choose a point on the scale from 1 to 5.");
            case QuestionKind.Text:
                var text = value.Text?.Trim() ?? string.Empty;
                if (text.Length > Limits.LongText)
                {
                    return (null, $"Keep the answer under {Limits.LongText} characters.");
                }

                return text.Length == 0 ? (null, null) : (SurveyValue.Write(text), null);
            case QuestionKind.CountyGrid:
                foreach (var (fips, count) in value.Counties)
                {
                    if (CaliforniaCounties.ByFips(fips) is null)
                    {
                        return (null, $"\"{fips}\" is not a California county.");
                    }

                    if (count < 0 || count > MaxCountyValue)
                    {
                        return (null, $"Enter a whole number from 0 to {MaxCountyValue.ToString("N0", CultureInfo.InvariantCulture)} for {CaliforniaCounties.ByFips(fips)!.Name}.");
                    }
                }

                return value.Counties.Count == 0 ? (null, null) : (SurveyValue.Grid(value.Counties), null);
            default:
                return (null, "This question can't be answered.");
        }
    }
}

/// <summary>A question of the bank that reviewers build survey instruments from.</summary>
public class SurveyQuestion : Entity, IAudited
{
    private SurveyQuestion()
    {
        Text = CreatedBy = string.Empty;
    }

    public SurveyQuestion(QuestionDefinition definition, DateTime now, string userId)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        Text = string.Empty;
        CreatedAt = now;
        CreatedBy = userId;
        Define(definition);
    }

    public string Text { get; private set; }
    public string? Help { get; private set; }
    public QuestionKind Kind { get; private set; }
    public IReadOnlyList<string> Options { get; private set; } = [];
    public int? Minimum { get; private set; }
    public int? Maximum { get; private set; }
    public PortalSource Source { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public string CreatedBy { get; private set; }

    /// <summary>Retired questions stay in the waves that asked them and are offered for no new one.</summary>
    public DateTime? RetiredAt { get; private set; }

    public QuestionDefinition Definition => new(Text, Help, Kind, Options, Minimum, Maximum, Source);

    public void Define(QuestionDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Problem() is { } problem)
        {
            throw new DomainException(problem);
        }

        Text = definition.Text.Length <= Limits.ShortText ? definition.Text : throw new DomainException($"Keep the question under {Limits.ShortText} characters.");
        Help = definition.Help;
        Kind = definition.Kind;
        Options = [.. definition.Options];
        Minimum = definition.Minimum;
        Maximum = definition.Maximum;
        Source = definition.Source;
    }

    public void Retire(DateTime now) => RetiredAt ??= now;
}
