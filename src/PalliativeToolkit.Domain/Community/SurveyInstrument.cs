using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Domain.Community;

/// <summary>Where a survey wave stands: built by reviewers, open for answers, closed.</summary>
public enum SurveyStatus
{
    Draft,
    Open,
    Closed,
}

/// <summary>
/// One wave of the annual statewide survey of one audience (plans or providers) for one year: its questions in order,
/// copied from the bank, and the dates it is open. Reviewers build it as a draft, open it (one open wave per audience at a
/// time) and close it; its questions are fixed once it opens.
/// </summary>
public class SurveyInstrument : Entity, IAudited
{
    public const int EarliestYear = 2018;
    private readonly List<SurveyItem> _items = [];

    private SurveyInstrument()
    {
        Title = CreatedBy = string.Empty;
    }

    public SurveyInstrument(string title, SurveyAudience audience, int year, DateOnly opensOn, DateOnly closesOn, DateTime now, string userId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        if (!Enum.IsDefined(audience))
        {
            throw new DomainException("Choose plans or providers.");
        }

        if (year < EarliestYear || year > now.Year + 1)
        {
            throw new DomainException($"Choose a year from {EarliestYear} to {now.Year + 1}.");
        }

        Audience = audience;
        Year = year;
        Title = string.Empty;
        Status = SurveyStatus.Draft;
        CreatedAt = now;
        CreatedBy = userId;
        Reschedule(title, opensOn, closesOn);
    }

    public string Title { get; private set; }
    public SurveyAudience Audience { get; private set; }
    public int Year { get; private set; }
    public DateOnly OpensOn { get; private set; }
    public DateOnly ClosesOn { get; private set; }
    public SurveyStatus Status { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public string CreatedBy { get; private set; }
    public DateTime? OpenedAt { get; private set; }
    public DateTime? ClosedAt { get; private set; }

    /// <summary>When reviewers last sent reminders to the organizations that had not submitted.</summary>
    public DateTime? RemindedAt { get; private set; }

    public IReadOnlyList<SurveyItem> Items => _items;

    /// <summary>Open, and <paramref name="today"/> (California's date) between its opening and closing dates.</summary>
    public bool IsAnswerable(DateOnly today) => Status == SurveyStatus.Open && today >= OpensOn && today <= ClosesOn;

    public void Reschedule(string title, DateOnly opensOn, DateOnly closesOn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        if (closesOn < opensOn)
        {
            throw new DomainException("The closing date can't be before the opening date.");
        }

        if (Status == SurveyStatus.Closed)
        {
            throw new DomainException("A closed wave keeps its dates.");
        }

        Title = title.Trim().Length <= Limits.Title ? title.Trim() : throw new DomainException($"Keep the title under {Limits.Title} characters.");
        OpensOn = opensOn;
        ClosesOn = closesOn;
    }

    /// <summary>Adds a bank question at the end (its wording copied now); a draft only, and each question once.</summary>
    public SurveyItem Add(SurveyQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        EnsureDraft();
        if (question.RetiredAt is not null)
        {
            throw new DomainException("That question was retired from the bank.");
        }

        if (_items.Any(i => i.QuestionId == question.Id))
        {
            throw new DomainException("That question is already in this wave.");
        }

        var item = new SurveyItem(this, question, _items.Count + 1);
        _items.Add(item);
        Touch();
        return item;
    }

    public void Remove(Guid itemId)
    {
        EnsureDraft();
        var item = _items.SingleOrDefault(i => i.Id == itemId) ?? throw new DomainException("That question is not in this wave.");
        _items.Remove(item);
        Renumber(_items.OrderBy(i => i.Order).ToList());
    }

    /// <summary>Moves a question one place up (<paramref name="by"/> = -1) or down (+1).</summary>
    public void Move(Guid itemId, int by)
    {
        EnsureDraft();
        var ordered = _items.OrderBy(i => i.Order).ToList();
        var index = ordered.FindIndex(i => i.Id == itemId);
        if (index < 0)
        {
            throw new DomainException("That question is not in this wave.");
        }

        var target = Math.Clamp(index + Math.Sign(by), 0, ordered.Count - 1);
        var item = ordered[index];
        ordered.RemoveAt(index);
        ordered.Insert(target, item);
        Renumber(ordered);
    }

    /// <summary>Opens the wave for answers: it needs questions, and no other wave of its audience may be open (the service checks that one).</summary>
    public void Open(DateTime now)
    {
        EnsureDraft();
        if (_items.Count == 0)
        {
            throw new DomainException("Add at least one question before opening the wave.");
        }

        Status = SurveyStatus.Open;
        OpenedAt = now;
    }

    public void Close(DateTime now)
    {
        if (Status != SurveyStatus.Open)
        {
            throw new DomainException("Only an open wave can be closed.");
        }

        Status = SurveyStatus.Closed;
        ClosedAt = now;
    }

    public void Reminded(DateTime now)
    {
        if (Status != SurveyStatus.Open)
        {
            throw new DomainException("Reminders go out while the wave is open.");
        }

        RemindedAt = now;
    }

    private void EnsureDraft()
    {
        if (Status != SurveyStatus.Draft)
        {
            throw new DomainException("The questions of a wave are fixed once it has opened.");
        }
    }

    private void Renumber(List<SurveyItem> ordered)
    {
        for (var i = 0; i < ordered.Count; i++)
        {
            ordered[i].Renumber(i + 1);
        }

        Touch();
    }
}

/// <summary>A question as one wave asks it: its place and its wording, copied from the bank question it came from.</summary>
public class SurveyItem : Entity, IAudited
{
    private SurveyItem()
    {
        Text = string.Empty;
    }

    internal SurveyItem(SurveyInstrument instrument, SurveyQuestion question, int order)
    {
        InstrumentId = instrument.Id;
        QuestionId = question.Id;
        Order = order;
        Text = question.Text;
        Help = question.Help;
        Kind = question.Kind;
        Options = [.. question.Options];
        Minimum = question.Minimum;
        Maximum = question.Maximum;
        Source = question.Source;
    }

    public Guid InstrumentId { get; private set; }

    /// <summary>The bank question: the same question in last year's wave is compared with this one.</summary>
    public Guid QuestionId { get; private set; }
    public int Order { get; private set; }
    public string Text { get; private set; }
    public string? Help { get; private set; }
    public QuestionKind Kind { get; private set; }
    public IReadOnlyList<string> Options { get; private set; } = [];
    public int? Minimum { get; private set; }
    public int? Maximum { get; private set; }
    public PortalSource Source { get; private set; }

    /// <summary>"Q3": how pages and exports name it.</summary>
    public string Code => $"Q{Order}";

    public QuestionDefinition Definition => new(Text, Help, Kind, Options, Minimum, Maximum, Source);

    internal void Renumber(int order) => Order = order;
}
