using FluentValidation;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Assessments;

public sealed class StartAssessmentCommand
{
    public Guid OrganizationId { get; set; }
    public string Cycle { get; set; } = string.Empty;
    public bool CopyFromPrevious { get; set; } = true;
}

public sealed class StartAssessmentValidator : AbstractValidator<StartAssessmentCommand>
{
    public StartAssessmentValidator()
    {
        RuleFor(c => c.OrganizationId).NotEmpty().WithMessage("Choose the organization to assess.");
        RuleFor(c => c.Cycle).Custom((cycle, context) =>
        {
            if (!ReportingCycle.TryParse(cycle, out _, out var problem))
            {
                context.AddFailure(problem);
            }
        });
    }
}

public sealed class SaveElementCommand
{
    public Guid AssessmentId { get; set; }
    public Guid ElementResponseId { get; set; }
    public Guid ExpectedVersion { get; set; }
    public Dictionary<Guid, Domain.Assessments.Answer> Answers { get; set; } = [];
    public string EvidenceNotes { get; set; } = string.Empty;
    public List<string> EvidenceLinks { get; set; } = [];
    public Domain.Assessments.Priority Priority { get; set; }

    /// <summary>
    /// The element as the user's page last had it from the server. With it the save merges field by field with what
    /// others saved since (<see cref="ElementMerge"/>); without it the save applies only if <see cref="ExpectedVersion"/>
    /// is still current.
    /// </summary>
    public ElementState? Base { get; set; }

    /// <summary>The page that saves (an id it made up): the live change goes to every other page, not back to it.</summary>
    public Guid? Origin { get; set; }

    internal ElementState Yours => new(Answers, EvidenceNotes, EvidenceLinks, Priority);
}

/// <summary>One element's working state as stored.</summary>
public sealed record ElementSnapshot(Guid Version, ElementState State, string? EvidenceCarriedFrom);

/// <summary>What a save of an element left: its new version and state, and the fields it could not apply (with both versions).</summary>
public sealed record ElementSaved(Guid Version, ElementState Saved, ElementConflicts Conflicts, string? ConflictingAuthor);

public sealed class SaveElementValidator : AbstractValidator<SaveElementCommand>
{
    public SaveElementValidator()
    {
        RuleFor(c => c.EvidenceNotes)
            .MaximumLength(Limits.EvidenceNotes).WithMessage($"Evidence notes can be at most {Limits.EvidenceNotes} characters.")
            .PlainText();
        RuleFor(c => c.EvidenceLinks)
            .Must(l => l.Count <= Limits.EvidenceLinks).WithMessage($"Add at most {Limits.EvidenceLinks} evidence links.");
        RuleForEach(c => c.EvidenceLinks)
            .MaximumLength(Limits.Url).WithMessage($"A link can be at most {Limits.Url} characters.")
            .Must(BeWebLink).WithMessage("Enter a full web address starting with https:// or http://.")
            .PlainLine()
            .Must(HaveNoCredentials).WithMessage(TextRules.CredentialsInLinkMessage);
        RuleForEach(c => c.Answers.Values).IsInEnum().WithName("Answers");
        RuleFor(c => c.Priority).IsInEnum();
    }

    /// <summary>Why a link cannot be added, in the words shown next to the field; null when it can.</summary>
    public static string? LinkProblem(string? link) =>
        string.IsNullOrWhiteSpace(link) || !BeWebLink(link) ? "Enter a full web address starting with https:// or http://."
        : link.Length > Limits.Url ? $"A link can be at most {Limits.Url} characters."
        : !TextRules.IsPlainLine(link) ? TextRules.HiddenCharactersMessage
        : !HaveNoCredentials(link) ? TextRules.CredentialsInLinkMessage
        : null;

    /// <summary>No <c>user:password@</c> in the link: it would be shown to every reader, and it disguises the real host.</summary>
    public static bool HaveNoCredentials(string? link) =>
        string.IsNullOrWhiteSpace(link) || !Uri.TryCreate(link.Trim(), UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.UserInfo);

    public static bool BeWebLink(string? link) =>
        string.IsNullOrWhiteSpace(link)
        || (Uri.TryCreate(link.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp));
}

public sealed class ReturnAssessmentCommand
{
    public Guid AssessmentId { get; set; }
    public string GeneralFeedback { get; set; } = string.Empty;
    public Dictionary<Guid, string> ElementFeedback { get; set; } = [];
}

public sealed class ReturnAssessmentValidator : AbstractValidator<ReturnAssessmentCommand>
{
    public ReturnAssessmentValidator()
    {
        RuleFor(c => c.GeneralFeedback)
            .MaximumLength(Limits.FeedbackText).WithMessage($"Feedback can be at most {Limits.FeedbackText} characters.")
            .PlainText();
        RuleForEach(c => c.ElementFeedback.Values)
            .MaximumLength(Limits.FeedbackText).WithName("ElementFeedback").WithMessage($"Feedback can be at most {Limits.FeedbackText} characters.")
            .Must(TextRules.IsPlainText).WithName("ElementFeedback").WithMessage(TextRules.HiddenCharactersMessage);
        RuleFor(c => c)
            .Must(c => !string.IsNullOrWhiteSpace(c.GeneralFeedback) || c.ElementFeedback.Values.Any(v => !string.IsNullOrWhiteSpace(v)))
            .OverridePropertyName(nameof(ReturnAssessmentCommand.GeneralFeedback))
            .WithMessage("Write the feedback that tells the plan what to change.");
    }
}
