using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Frameworks;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Web.Features.Live;

namespace PalliativeToolkit.Web.Features.Partners;

/// <summary>A joint section-E assessment as its partnership lists it.</summary>
public sealed record JointListItem(Guid Id, string Cycle, bool PlanReady, bool ProviderReady, DateTime? SubmittedAt);

/// <summary>One criterion of a joint assessment: both sides' answers.</summary>
public sealed record JointCriterionView(Guid CriterionId, string Code, CriterionKind Kind, string Text, Answer Plan, Answer Provider)
{
    /// <summary>Both sides answered, differently.</summary>
    public bool Differs => Plan != Provider && Plan != Answer.Open && Provider != Answer.Open;

    public Answer Of(PartnerSide side) => side == PartnerSide.Plan ? Plan : Provider;
}

/// <summary>One element of a joint assessment: both sides' answers and notes, and the level each side's answers give.</summary>
public sealed record JointElementView(Guid ElementId, string Code, string Title, string MinimumText, IReadOnlyList<JointCriterionView> Criteria, string PlanNotes, string ProviderNotes)
{
    public Level LevelOf(PartnerSide side) => Scoring.LevelOf(Criteria.Select(c => (c.Kind, c.Of(side))).ToList());

    public string NotesOf(PartnerSide side) => side == PartnerSide.Plan ? PlanNotes : ProviderNotes;

    public int Differences => Criteria.Count(c => c.Differs);
}

/// <summary>One change of a joint assessment, named with its person and side.</summary>
public sealed record JointChangeView(DateTime At, string By, PartnerSide Side, string Organization, string? ElementCode, string What);

public sealed record JointView(
    Guid Id,
    Guid PartnershipId,
    string PlanName,
    string ProviderName,
    string Cycle,
    PartnerSide? MySide,
    bool CanEdit,
    bool CanManage,
    DateTime? PlanReadyAt,
    string? PlanReadyBy,
    DateTime? ProviderReadyAt,
    string? ProviderReadyBy,
    DateTime? SubmittedAt,
    string? SubmittedBy,
    IReadOnlyList<JointElementView> Elements,
    IReadOnlyList<JointChangeView> History)
{
    public string NameOf(PartnerSide side) => side == PartnerSide.Plan ? PlanName : ProviderName;

    public DateTime? ReadyAt(PartnerSide side) => side == PartnerSide.Plan ? PlanReadyAt : ProviderReadyAt;

    public string? ReadyBy(PartnerSide side) => side == PartnerSide.Plan ? PlanReadyBy : ProviderReadyBy;

    public int Differences => Elements.Sum(e => e.Differences);
}

/// <summary>
/// Tells the open pages of a joint assessment that it changed, so each side sees the other's answers as they are saved.
/// Several instances need an implementation over a shared message bus (docs/deployment.md).
/// </summary>
public interface IJointSignals
{
    void Tell(Guid jointAssessmentId);

    IDisposable Listen(Guid jointAssessmentId, Func<Task> onSignal);
}

/// <summary><see cref="IJointSignals"/> within one process.</summary>
public sealed class InProcessJointSignals(ILogger<InProcessJointSignals> logger) : InProcessSignals<Guid>(logger), IJointSignals;
