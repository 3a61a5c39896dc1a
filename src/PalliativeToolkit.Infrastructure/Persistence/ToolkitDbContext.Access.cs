using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Accounts;
using PalliativeToolkit.Domain.ActionPlans;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Auditing;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Frameworks;
using PalliativeToolkit.Domain.Notifications;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Domain.Resources;
using PalliativeToolkit.Infrastructure.Access;

namespace PalliativeToolkit.Infrastructure.Persistence;

/// <summary>
/// The isolation rule, in one place, as query filters keyed to the context's viewer. A feature cannot forget it: every
/// query of these sets (including navigations and Includes) is filtered, and an architecture test fails when a feature
/// sets the filters aside. The rule:
/// - members see their own organizations' data, drafts included;
/// - statewide reviewers (and administrators) see every organization and its submitted rounds, never working drafts;
/// - a grant lets an organization read another's items of one kind (a provider's submitted readiness, for a plan);
/// - partners see each other's profile and their partnership, never each other's assessments without a grant;
/// - the portal itself (<see cref="Viewer.System"/>) sees everything; nobody else sees anything.
/// </summary>
public partial class ToolkitDbContext
{
    private Viewer _viewer = Viewer.Nobody;
    private bool _viewerSet;

    /// <summary>The user this context acts for: the filters and the audit trail both use it.</summary>
    public Viewer Viewer => _viewer;

    // Filter parameters: EF Core reads them from the context running each query.
    private bool SeesEverything => _viewer.IsSystem;

    private bool SeesSubmittedWork => _viewer.SeesSubmittedWork;

    private bool Administers => _viewer.IsAdministrator;

    private IReadOnlyList<Guid> MyOrganizations => _viewer.OrganizationIds;

    private string MyUserId => _viewer.UserId;

    private IReadOnlyList<Guid> ReadinessSharedWithMe => _viewer.ReadinessSharedWithMe;

    private IReadOnlyList<Guid> MyPartners => _viewer.PartnerOrganizationIds;

    private bool InAPlan => _viewer.BelongsToAPlan;

    /// <summary>Binds the context to its viewer, once.</summary>
    internal void ActAs(Viewer viewer)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        if (_viewerSet)
        {
            throw new InvalidOperationException("This database context already acts for a user; open a new operation instead.");
        }

        _viewer = viewer;
        _viewerSet = true;
    }

    private void ApplyAccessFilters(ModelBuilder builder)
    {
        // Organizations: one's own, one's partners, those that shared with one; plans also see every provider (to pick
        // partners from), and reviewers every organization.
        builder.Entity<Organization>().HasQueryFilter(o =>
            SeesEverything || SeesSubmittedWork || MyOrganizations.Contains(o.Id) || ReadinessSharedWithMe.Contains(o.Id)
            || MyPartners.Contains(o.Id) || (InAPlan && o.Kind == OrganizationKind.PalliativeCareProvider));
        builder.Entity<Membership>().HasQueryFilter(m =>
            SeesEverything || Administers || MyOrganizations.Contains(m.OrganizationId));
        builder.Entity<ShareGrant>().HasQueryFilter(g =>
            SeesEverything || Administers || MyOrganizations.Contains(g.OwnerOrganizationId) || MyOrganizations.Contains(g.GranteeOrganizationId));

        // A partnership, its history and contacts: both sides, and reviewers (the partner network).
        builder.Entity<Partnership>().HasQueryFilter(p =>
            SeesEverything || SeesSubmittedWork || MyOrganizations.Contains(p.PlanOrganizationId) || MyOrganizations.Contains(p.ProviderOrganizationId));
        builder.Entity<PartnershipStatusChange>().HasQueryFilter(p =>
            SeesEverything || SeesSubmittedWork || MyOrganizations.Contains(p.PlanOrganizationId) || MyOrganizations.Contains(p.ProviderOrganizationId));
        builder.Entity<PartnershipContact>().HasQueryFilter(p =>
            SeesEverything || SeesSubmittedWork || MyOrganizations.Contains(p.PlanOrganizationId) || MyOrganizations.Contains(p.ProviderOrganizationId));

        // A joint section-E assessment: both sides, drafts included; reviewers once it is submitted.
        builder.Entity<JointAssessment>().HasQueryFilter(j =>
            SeesEverything || MyOrganizations.Contains(j.PlanOrganizationId) || MyOrganizations.Contains(j.ProviderOrganizationId)
            || (SeesSubmittedWork && j.SubmittedAt != null));
        builder.Entity<JointAnswer>().HasQueryFilter(a =>
            SeesEverything || MyOrganizations.Contains(a.PlanOrganizationId) || MyOrganizations.Contains(a.ProviderOrganizationId)
            || (SeesSubmittedWork && Set<JointAssessment>().Any(j => j.Id == a.JointAssessmentId && j.SubmittedAt != null)));
        builder.Entity<JointNote>().HasQueryFilter(n =>
            SeesEverything || MyOrganizations.Contains(n.PlanOrganizationId) || MyOrganizations.Contains(n.ProviderOrganizationId)
            || (SeesSubmittedWork && Set<JointAssessment>().Any(j => j.Id == n.JointAssessmentId && j.SubmittedAt != null)));
        builder.Entity<JointChange>().HasQueryFilter(c =>
            SeesEverything || MyOrganizations.Contains(c.PlanOrganizationId) || MyOrganizations.Contains(c.ProviderOrganizationId)
            || (SeesSubmittedWork && Set<JointAssessment>().Any(j => j.Id == c.JointAssessmentId && j.SubmittedAt != null)));

        // The assessment itself (cycle, status, dates): its organization, and once submitted, those who read its rounds.
        builder.Entity<Assessment>().HasQueryFilter(a =>
            SeesEverything || MyOrganizations.Contains(a.OrganizationId)
            || (a.Round > 0 && (SeesSubmittedWork || ReadinessSharedWithMe.Contains(a.OrganizationId))));

        // Working answers: the organization only, never reviewers (they read the submitted rounds).
        builder.Entity<ElementResponse>().HasQueryFilter(e => SeesEverything || MyOrganizations.Contains(e.OrganizationId));
        builder.Entity<CriterionResponse>().HasQueryFilter(c => SeesEverything || MyOrganizations.Contains(c.OrganizationId));

        // Submitted rounds: the organization, reviewers, and organizations it shared its readiness with.
        builder.Entity<Submission>().HasQueryFilter(s =>
            SeesEverything || MyOrganizations.Contains(s.OrganizationId) || SeesSubmittedWork || ReadinessSharedWithMe.Contains(s.OrganizationId));
        // A shared readiness is the provider's section B: a grantee reads the rounds' elements of provider sections only
        // (a round submitted before providers stopped assessing section E on their own keeps it to itself).
        builder.Entity<SubmittedElement>().HasQueryFilter(s =>
            SeesEverything || MyOrganizations.Contains(s.OrganizationId) || SeesSubmittedWork
            || (ReadinessSharedWithMe.Contains(s.OrganizationId) && Set<Element>().Any(e => e.Id == s.ElementId && e.Section!.Audience == Audience.Provider)));
        builder.Entity<SubmittedAnswer>().HasQueryFilter(s =>
            SeesEverything || MyOrganizations.Contains(s.OrganizationId) || SeesSubmittedWork
            || (ReadinessSharedWithMe.Contains(s.OrganizationId) && Set<SubmittedElement>().Any(e => e.Id == s.SubmittedElementId)));

        // Feedback is between the organization and the reviewers; a grant does not reach it.
        builder.Entity<Feedback>().HasQueryFilter(f => SeesEverything || MyOrganizations.Contains(f.OrganizationId) || SeesSubmittedWork);
        // Feedback threads likewise: the organization's members and the statewide reviewers, never a grantee or a partner.
        builder.Entity<FeedbackThread>().HasQueryFilter(t => SeesEverything || MyOrganizations.Contains(t.OrganizationId) || SeesSubmittedWork);
        builder.Entity<FeedbackMessage>().HasQueryFilter(m => SeesEverything || MyOrganizations.Contains(m.OrganizationId) || SeesSubmittedWork);

        // An organization's documents: its members; the partners it shared one with; everyone signed in once a reviewer
        // approved it as a contribution; reviewers while it awaits their decision.
        builder.Entity<OrganizationDocument>().HasQueryFilter(d =>
            SeesEverything || MyOrganizations.Contains(d.OrganizationId)
            || (MyUserId != "" && d.Contribution == ContributionStatus.Approved)
            || (SeesSubmittedWork && d.Contribution == ContributionStatus.Proposed)
            || Set<DocumentShare>().Any(s => s.DocumentId == d.Id && MyOrganizations.Contains(s.GranteeOrganizationId)));
        // A share reaches the partner only while the two are in a partnership that has not ended (ending one also removes
        // its shares; this keeps a share saved at that same moment from outliving it).
        builder.Entity<DocumentShare>().HasQueryFilter(s =>
            SeesEverything || MyOrganizations.Contains(s.OwnerOrganizationId)
            || (MyOrganizations.Contains(s.GranteeOrganizationId) && Set<Partnership>().Any(p => p.Status != PartnershipStatus.Ended
                && ((p.PlanOrganizationId == s.OwnerOrganizationId && p.ProviderOrganizationId == s.GranteeOrganizationId)
                    || (p.ProviderOrganizationId == s.OwnerOrganizationId && p.PlanOrganizationId == s.GranteeOrganizationId)))));

        // An action plan: the organization's members; reviewers read the items of assessments that were submitted.
        builder.Entity<ActionItem>().HasQueryFilter(i =>
            SeesEverything || MyOrganizations.Contains(i.OrganizationId)
            || (SeesSubmittedWork && Set<Assessment>().Any(a => a.Id == i.AssessmentId && a.Round > 0)));
        builder.Entity<CalendarSubscription>().HasQueryFilter(s => SeesEverything || (MyUserId != "" && s.UserId == MyUserId));

        // The learning community's events: every signed-in person sees the open ones; a support call with one plan, its
        // materials and its registrations only that plan's members and the statewide reviewers. Registrations are the
        // registrant's organization's (and their own), and the reviewers'.
        builder.Entity<CommunityEvent>().HasQueryFilter(e =>
            SeesEverything || SeesSubmittedWork || (MyUserId != "" && e.PlanOrganizationId == null)
            || (e.PlanOrganizationId != null && MyOrganizations.Contains(e.PlanOrganizationId.Value)));
        builder.Entity<EventMaterial>().HasQueryFilter(m =>
            SeesEverything || SeesSubmittedWork || (MyUserId != "" && m.PlanOrganizationId == null)
            || (m.PlanOrganizationId != null && MyOrganizations.Contains(m.PlanOrganizationId.Value)));
        builder.Entity<EventRegistration>().HasQueryFilter(r =>
            SeesEverything || SeesSubmittedWork
            || ((r.PlanOrganizationId == null || MyOrganizations.Contains(r.PlanOrganizationId.Value))
                && (MyOrganizations.Contains(r.OrganizationId) || (MyUserId != "" && r.UserId == MyUserId))));
        // A survey response and its answers: the organization's members, drafts included; reviewers once it is submitted.
        // Statewide results and the reminder list are read by the portal itself and answer only aggregates and statuses.
        builder.Entity<SurveyResponse>().HasQueryFilter(r =>
            SeesEverything || MyOrganizations.Contains(r.OrganizationId) || (SeesSubmittedWork && r.SubmittedAt != null));
        builder.Entity<SurveyAnswer>().HasQueryFilter(a =>
            SeesEverything || MyOrganizations.Contains(a.OrganizationId)
            || (SeesSubmittedWork && Set<SurveyResponse>().Any(r => r.Id == a.ResponseId && r.SubmittedAt != null)));
        // Attendance: the reviewers, and the organization it was recorded for (a private call's only if that organization is
        // the call's plan). A plan never sees another organization's attendance. The imports (files and their counts) are
        // the reviewers' work.
        builder.Entity<Attendance>().HasQueryFilter(a =>
            SeesEverything || SeesSubmittedWork
            || ((a.PlanOrganizationId == null || MyOrganizations.Contains(a.PlanOrganizationId.Value)) && MyOrganizations.Contains(a.OrganizationId)));
        builder.Entity<AttendanceImport>().HasQueryFilter(i => SeesEverything || SeesSubmittedWork);

        builder.Entity<AuditEntry>().HasQueryFilter(a => SeesEverything || Administers);

        // A person's notifications and choices are theirs alone; the email outbox is the administrators' to watch.
        builder.Entity<Notification>().HasQueryFilter(n => SeesEverything || (MyUserId != "" && n.RecipientId == MyUserId));
        builder.Entity<NotificationSettings>().HasQueryFilter(s => SeesEverything || (MyUserId != "" && s.UserId == MyUserId));
        builder.Entity<OutgoingEmail>().HasQueryFilter(e => SeesEverything || Administers);

        // A personal API token is its owner's alone (administrators included: a token is revoked by its owner, and stops
        // working when its owner loses the role or is locked).
        builder.Entity<ApiToken>().HasQueryFilter(t => SeesEverything || (MyUserId != "" && t.UserId == MyUserId));
    }
}
