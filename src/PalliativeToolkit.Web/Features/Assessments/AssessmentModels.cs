using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Frameworks;

namespace PalliativeToolkit.Web.Features.Assessments;

public sealed record AssessmentListItem(
    Guid Id, Guid OrganizationId, string OrganizationName, string Cycle, string FrameworkLabel, AssessmentStatus Status, Progress Progress, DateTime CreatedAt);

public sealed record StartableOrganization(Guid Id, string Name, IReadOnlyList<string> ExistingCycles);

public sealed record AssessmentListView(IReadOnlyList<AssessmentListItem> Assessments, IReadOnlyList<StartableOrganization> CanStartFor);

public sealed record ResourceView(string Title, string Format, string Publisher, string Url, Provenance Provenance);

public sealed class CriterionView
{
    public required Guid CriterionId { get; init; }
    public required string Code { get; init; }
    public required CriterionKind Kind { get; init; }
    public required string Text { get; init; }
    public required Provenance Provenance { get; init; }
    public string? AplReference { get; init; }
    public Answer Answer { get; set; }
}

public sealed class ElementView
{
    public required Guid ElementResponseId { get; init; }
    public required Guid ElementId { get; init; }
    public required string SectionCode { get; init; }
    public required string Code { get; init; }
    public required string Title { get; init; }
    public required string Description { get; init; }
    public required Provenance Provenance { get; init; }
    public required string MinimumText { get; init; }
    public required string EnhancementText { get; init; }
    public required IReadOnlyList<CriterionView> Criteria { get; init; }
    public required IReadOnlyList<ResourceView> Resources { get; init; }
    public IReadOnlyList<string> Feedback { get; init; } = [];
    public string EvidenceNotes { get; set; } = string.Empty;
    public List<string> EvidenceLinks { get; set; } = [];
    public Priority Priority { get; set; }
    public Guid Version { get; set; }

    private List<(CriterionKind, Answer)> Answers => Criteria.Select(c => (c.Kind, c.Answer)).ToList();

    public Level Level => Scoring.LevelOf(Answers);
    public bool IsAssessed => Scoring.IsAssessed(Answers);
    public int EnhancementsAdopted => Criteria.Count(c => c.Kind == CriterionKind.Enhancement && c.Answer == Answer.Met);
    public int EnhancementsOffered => Criteria.Count(c => c.Kind == CriterionKind.Enhancement);
}

public sealed record SectionView(string Code, string Title, string Summary, Audience Audience, string ProgressNote, IReadOnlyList<ElementView> Elements)
{
    public Progress Progress => Scoring.Summarize(Elements.Select(e => e.Level), Elements.Select(e => e.IsAssessed));
}

public sealed record FeedbackView(string? ElementCode, string Text, DateTime CreatedAt);

public sealed class AssessmentView
{
    public required Guid Id { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string OrganizationName { get; init; }
    public required string Cycle { get; init; }
    public required string FrameworkLabel { get; init; }
    public required string FrameworkTitle { get; init; }
    public AssessmentStatus Status { get; set; }
    public DateTime? SubmittedAt { get; init; }
    public DateTime? ReviewedAt { get; init; }
    public required IReadOnlyList<SectionView> Sections { get; init; }
    public required IReadOnlyList<FeedbackView> Feedback { get; init; }

    /// <summary>The signed-in user may change answers (member with edit rights, assessment draft or returned).</summary>
    public bool CanEdit { get; set; }
    public bool CanSubmit { get; set; }
    public bool CanReview { get; set; }

    public Progress Progress => Sections.Aggregate(default(Progress), (total, s) => total + s.Progress);
}
