using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Domain.Community;

/// <summary>Where an answer came from, when the question opened with what the portal knows.</summary>
public enum AnswerOrigin
{
    /// <summary>Not answered yet.</summary>
    None,

    /// <summary>Typed or chosen by the respondent (the question had no portal value).</summary>
    Entered,

    /// <summary>The portal's value, confirmed by the respondent as it was.</summary>
    ConfirmedFromPortal,

    /// <summary>The portal's value, corrected by the respondent.</summary>
    CorrectedFromPortal,
}

public static class AnswerOriginText
{
    public static string Describe(this AnswerOrigin origin) => origin switch
    {
        AnswerOrigin.Entered => "Entered",
        AnswerOrigin.ConfirmedFromPortal => "Confirmed from portal data",
        AnswerOrigin.CorrectedFromPortal => "Corrected from portal data",
        _ => "Not answered",
    };
}

/// <summary>
/// One organization's response to one survey wave. Its managers and contributors answer question by question (each
/// answer saved on its own, with its own version, so two people on different questions never collide and two on the
/// same one are told); a manager submits it once every question is answered, and it is read-only after.
/// </summary>
public class SurveyResponse : Entity, IAudited, IOrganizationOwned
{
    private readonly List<SurveyAnswer> _answers = [];

    private SurveyResponse()
    {
        StartedBy = string.Empty;
    }

    private SurveyResponse(SurveyInstrument instrument, Guid organizationId, DateTime now, string userId)
    {
        InstrumentId = instrument.Id;
        OrganizationId = organizationId;
        StartedAt = now;
        StartedBy = userId;
    }

    public Guid InstrumentId { get; private set; }
    public Guid OrganizationId { get; private set; }
    public DateTime StartedAt { get; private set; }
    public string StartedBy { get; private set; }
    public DateTime? SubmittedAt { get; private set; }
    public string? SubmittedBy { get; private set; }

    public IReadOnlyList<SurveyAnswer> Answers => _answers;

    public bool IsSubmitted => SubmittedAt is not null;

    /// <summary>Starts the organization's response, with an empty answer to each of the wave's questions.</summary>
    public static SurveyResponse Start(SurveyInstrument instrument, Guid organizationId, DateOnly today, DateTime now, string userId)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        if (!instrument.IsAnswerable(today))
        {
            throw new DomainException(ClosedMessage(instrument, today));
        }

        var response = new SurveyResponse(instrument, organizationId, now, userId);
        foreach (var item in instrument.Items.OrderBy(i => i.Order))
        {
            response._answers.Add(new SurveyAnswer(response, item.Id));
        }

        return response;
    }

    /// <summary>Why a wave takes no answers today.</summary>
    public static string ClosedMessage(SurveyInstrument instrument, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        return instrument.Status switch
        {
            SurveyStatus.Draft => "This survey is not open yet.",
            SurveyStatus.Closed => "This survey has closed: answers can no longer change.",
            _ when today < instrument.OpensOn => $"This survey opens on {instrument.OpensOn:MMMM d, yyyy}.",
            _ => $"This survey closed on {instrument.ClosesOn:MMMM d, yyyy}: answers can no longer change.",
        };
    }

    /// <summary>
    /// Records an answer (null clears it). <paramref name="portal"/> is what the portal knows for a mapped question now, with
    /// its source in words: an answer equal to it was confirmed from portal data, another one corrected it.
    /// </summary>
    public SurveyAnswer Record(SurveyItem item, SurveyValue? value, (SurveyValue Value, string Note)? portal, DateTime now, string userId)
    {
        ArgumentNullException.ThrowIfNull(item);
        EnsureEditable();
        var answer = _answers.SingleOrDefault(a => a.ItemId == item.Id) ?? throw new DomainException("That question is not in this survey.");
        var (checkedValue, error) = item.Definition.Check(value);
        if (error is not null)
        {
            throw new DomainException(error);
        }

        answer.Set(checkedValue, portal, now, userId);
        return answer;
    }

    /// <summary>Submits the response: every question answered; a manager's act (the service checks the role).</summary>
    public void Submit(IReadOnlyList<SurveyItem> items, DateTime now, string userId)
    {
        ArgumentNullException.ThrowIfNull(items);
        EnsureEditable();
        var missing = items.OrderBy(i => i.Order).Where(i => _answers.SingleOrDefault(a => a.ItemId == i.Id)?.Value is null).Select(i => i.Code).ToList();
        if (missing.Count > 0)
        {
            throw new DomainException($"Answer every question before submitting: {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} not answered yet.", missing);
        }

        SubmittedAt = now;
        SubmittedBy = userId;
        foreach (var answer in _answers)
        {
            // An answer saved from a page loaded before the submission is refused (its version changes here).
            answer.Freeze();
        }
    }

    private void EnsureEditable()
    {
        if (IsSubmitted)
        {
            throw new DomainException("This response was submitted: it can no longer change.");
        }
    }
}

/// <summary>One organization's answer to one question of a wave, and whether it came from portal data.</summary>
public class SurveyAnswer : Entity, IAudited, IOrganizationOwned
{
    private SurveyAnswer()
    {
    }

    internal SurveyAnswer(SurveyResponse response, Guid itemId)
    {
        ResponseId = response.Id;
        OrganizationId = response.OrganizationId;
        ItemId = itemId;
        Origin = AnswerOrigin.None;
    }

    public Guid ResponseId { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid ItemId { get; private set; }

    /// <summary>The answer (<see cref="SurveyValue"/> as JSON), null until answered.</summary>
    public string? Value { get; private set; }
    public AnswerOrigin Origin { get; private set; }

    /// <summary>For a question that opened with portal data: the portal's value when it was answered, and its source in words.</summary>
    public string? PortalValue { get; private set; }
    public string? PortalNote { get; private set; }
    public DateTime? EditedAt { get; private set; }
    public string? EditedBy { get; private set; }

    public SurveyValue? Read() => SurveyValue.Parse(Value);

    internal void Set(SurveyValue? value, (SurveyValue Value, string Note)? portal, DateTime now, string userId)
    {
        Value = value?.Serialize();
        PortalValue = value is null ? null : portal?.Value.Serialize();
        PortalNote = value is null || portal is null ? null : Truncate(portal.Value.Note);
        Origin = value is null ? AnswerOrigin.None
            : portal is null ? AnswerOrigin.Entered
            : Value == PortalValue ? AnswerOrigin.ConfirmedFromPortal
            : AnswerOrigin.CorrectedFromPortal;
        EditedAt = now;
        EditedBy = userId;
        Touch();
    }

    internal void Freeze() => Touch();

    private static string Truncate(string text) => text.Length <= Limits.ShortText ? text : text[..(Limits.ShortText - 1)] + "…";
}
