using FluentValidation;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Feedback;

/// <summary>A reviewer opens a thread on one element of a submitted assessment, with a first message.</summary>
public sealed class OpenThreadCommand
{
    public Guid AssessmentId { get; set; }

    /// <summary>The framework element (the same in every round).</summary>
    public Guid ElementId { get; set; }
    public string Text { get; set; } = string.Empty;
}

/// <summary>A message in an open thread, from either side.</summary>
public sealed class ReplyCommand
{
    public Guid ThreadId { get; set; }
    public string Text { get; set; } = string.Empty;
}

/// <summary>The rules of a message's text, shown next to the box it was typed in.</summary>
public static class MessageRules
{
    public static IRuleBuilderOptions<T, string?> Message<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage("Write a message.")
            .Must(t => (t ?? string.Empty).Trim().Length <= Limits.FeedbackText).WithMessage($"A message can be at most {Limits.FeedbackText} characters.")
            .PlainText();
}

public sealed class OpenThreadValidator : AbstractValidator<OpenThreadCommand>
{
    public OpenThreadValidator()
    {
        RuleFor(c => c.AssessmentId).NotEmpty().WithMessage("Choose the assessment.");
        RuleFor(c => c.ElementId).NotEmpty().WithMessage("Choose the element the thread is about.");
        RuleFor(c => c.Text).Message();
    }
}

public sealed class ReplyValidator : AbstractValidator<ReplyCommand>
{
    public ReplyValidator()
    {
        RuleFor(c => c.Text).Message();
    }
}

/// <summary>What a change to a thread left: its id and new version, whose organization it is, and the side that acted.</summary>
public sealed record ThreadChange(Guid ThreadId, Guid Version, Guid OrganizationId, ThreadSide By);

/// <summary>What happened in a thread, as the other side is told.</summary>
public enum ThreadEvent
{
    Opened,
    Replied,
    Resolved,
    Reopened,
}

/// <summary>One message as a page shows it: author, their side (named), when (UTC), text (line breaks kept).</summary>
public sealed record ThreadMessageView(Guid Id, string Author, ThreadSide Side, string SideName, DateTime At, string Text);

/// <summary>A thread on an element, with what the signed-in user may do in it.</summary>
public sealed record ThreadView(
    Guid Id, Guid Version, Guid ElementId, string ElementCode, int Round, ThreadStatus Status, DateTime OpenedAt, string? ResolvedBy, DateTime? ResolvedAt,
    ThreadSide AwaitedSide, string AwaitedName, IReadOnlyList<ThreadMessageView> Messages, bool CanReply, bool CanResolve)
{
    public bool IsOpen => Status == ThreadStatus.Open;
}

/// <summary>The threads of one assessment, and whether the signed-in user may open one on its elements.</summary>
public sealed record AssessmentThreads(Guid AssessmentId, IReadOnlyList<ThreadView> Threads, bool CanOpen)
{
    public IReadOnlyList<ThreadView> On(Guid elementId) => Threads.Where(t => t.ElementId == elementId).ToList();
}

/// <summary>Which threads a list shows: open (or resolved), of one organization or of every one the user sees.</summary>
public sealed record ThreadListQuery(Guid? OrganizationId = null, ThreadStatus Status = ThreadStatus.Open);

/// <summary>A thread in a list: where it is, its last message, and whose turn it is.</summary>
public sealed record ThreadRow(
    Guid ThreadId, Guid AssessmentId, Guid OrganizationId, string Organization, string Cycle, string ElementCode, string ElementTitle,
    string LastAuthor, ThreadSide LastSide, DateTime LastAt, string LastText, ThreadSide AwaitedSide, bool AwaitsYou, int Messages)
{
    /// <summary>The element on the assessment page (its section's tab open, scrolled to its card).</summary>
    public string Link => $"assessments/{AssessmentId}?element={Uri.EscapeDataString(ElementCode)}#element-{Uri.EscapeDataString(ElementCode)}";
}

/// <summary>The list of threads, for reviewers the organizations to filter by, and the user's own organizations (whose changes the list hears).</summary>
public sealed record ThreadList(IReadOnlyList<ThreadRow> Rows, bool IsReviewer, IReadOnlyList<(Guid Id, string Name)> Organizations, IReadOnlyList<Guid> OwnOrganizations);
