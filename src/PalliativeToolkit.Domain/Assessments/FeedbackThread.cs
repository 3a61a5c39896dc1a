using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Domain.Assessments;

/// <summary>Who wrote in a feedback thread: a statewide reviewer, or a member of the organization whose assessment it is.</summary>
public enum ThreadSide
{
    Reviewer,
    Organization,
}

public enum ThreadStatus
{
    Open,
    Resolved,
}

/// <summary>
/// A conversation between the statewide reviewers and an organization about one element of a submitted assessment. A
/// reviewer opens it, at any time while the assessment has a round that stands (awaiting review, returned or accepted);
/// both sides write in it until one of them resolves it, and it can be reopened. Messages are only ever added, never
/// changed; every message (and every resolution) renews the thread's version, so two writers never overwrite each other
/// and a reply cannot slip in after the thread was resolved (see docs/decisions/0019).
/// </summary>
public class FeedbackThread : Entity, IAudited, IOrganizationOwned
{
    private readonly List<FeedbackMessage> _messages = [];

    private FeedbackThread() { OpenedBy = string.Empty; }

    private FeedbackThread(Guid organizationId, Guid assessmentId, Guid elementId, int round, string reviewerId, DateTime now)
    {
        OrganizationId = organizationId;
        AssessmentId = assessmentId;
        ElementId = elementId;
        Round = round;
        OpenedBy = reviewerId;
        OpenedAt = now;
        Status = ThreadStatus.Open;
    }

    public Guid OrganizationId { get; private set; }
    public Guid AssessmentId { get; private set; }

    /// <summary>The framework element the thread is about (the same element in every round of the assessment).</summary>
    public Guid ElementId { get; private set; }

    /// <summary>The round that stood when the thread was opened.</summary>
    public int Round { get; private set; }
    public string OpenedBy { get; private set; }
    public DateTime OpenedAt { get; private set; }
    public ThreadStatus Status { get; private set; }
    public DateTime? ResolvedAt { get; private set; }
    public string? ResolvedBy { get; private set; }

    /// <summary>When the last message was written, and by which side: the thread waits on the other one.</summary>
    public DateTime LastMessageAt { get; private set; }
    public ThreadSide LastSide { get; private set; }

    public IReadOnlyList<FeedbackMessage> Messages => _messages;

    public bool IsOpen => Status == ThreadStatus.Open;

    /// <summary>Whose turn it is: the side that did not write last.</summary>
    public ThreadSide AwaitedSide => LastSide == ThreadSide.Reviewer ? ThreadSide.Organization : ThreadSide.Reviewer;

    /// <summary>
    /// A reviewer opens a thread on <paramref name="elementId"/> of <paramref name="standing"/>, the assessment's round
    /// that stands, with a first message.
    /// </summary>
    public static FeedbackThread Start(Submission standing, Guid elementId, string text, string reviewerId, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(standing);
        if (standing.Decision == Decision.Withdrawn)
        {
            throw new DomainException("This round was withdrawn: open a thread on a round that stands.");
        }

        if (standing.Elements.All(e => e.ElementId != elementId))
        {
            throw new DomainException("A feedback thread can only concern an element of this assessment.");
        }

        var thread = new FeedbackThread(standing.OrganizationId, standing.AssessmentId, elementId, standing.Round, reviewerId, now);
        thread.Write(ThreadSide.Reviewer, text, reviewerId, now);
        return thread;
    }

    /// <summary>Adds a message. A resolved thread takes none: it is reopened first.</summary>
    public FeedbackMessage Reply(ThreadSide side, string text, string authorId, DateTime now)
    {
        if (!IsOpen)
        {
            throw new DomainException("This thread is resolved: reopen it to reply.");
        }

        return Write(side, text, authorId, now);
    }

    public void Resolve(string userId, DateTime now)
    {
        if (!IsOpen)
        {
            throw new DomainException("This thread is already resolved.");
        }

        Status = ThreadStatus.Resolved;
        ResolvedAt = now;
        ResolvedBy = userId;
        Touch();
    }

    public void Reopen()
    {
        if (IsOpen)
        {
            throw new DomainException("This thread is already open.");
        }

        Status = ThreadStatus.Open;
        ResolvedAt = null;
        ResolvedBy = null;
        Touch();
    }

    private FeedbackMessage Write(ThreadSide side, string text, string authorId, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(authorId);
        var trimmed = (text ?? string.Empty).Trim();
        if (trimmed.Length == 0)
        {
            throw new DomainException("Write a message.");
        }

        if (trimmed.Length > Limits.FeedbackText)
        {
            throw new DomainException($"A message can be at most {Limits.FeedbackText} characters.");
        }

        var message = new FeedbackMessage(this, side, trimmed, authorId, now);
        _messages.Add(message);
        LastMessageAt = now;
        LastSide = side;
        Touch();
        return message;
    }
}

/// <summary>One message of a feedback thread: who wrote it, for which side, when. Never changed once written.</summary>
public class FeedbackMessage : Entity, IAudited, IOrganizationOwned
{
    private FeedbackMessage() { Text = AuthorId = string.Empty; }

    internal FeedbackMessage(FeedbackThread thread, ThreadSide side, string text, string authorId, DateTime createdAt)
    {
        ThreadId = thread.Id;
        OrganizationId = thread.OrganizationId;
        Side = side;
        Text = text;
        AuthorId = authorId;
        CreatedAt = createdAt;
    }

    public Guid ThreadId { get; private set; }
    public Guid OrganizationId { get; private set; }
    public ThreadSide Side { get; private set; }
    public string Text { get; private set; }
    public string AuthorId { get; private set; }
    public DateTime CreatedAt { get; private set; }
}
