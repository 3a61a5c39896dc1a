using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Accounts;
using PalliativeToolkit.Domain.ActionPlans;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Auditing;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Frameworks;
using PalliativeToolkit.Domain.Notifications;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Domain.Resources;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Identity;

namespace PalliativeToolkit.Infrastructure.Persistence;

/// <summary>
/// The portal's database. A context acts for one <see cref="Viewer"/>, set once by the operation that opened it;
/// organization data is filtered to what that viewer may see (see ToolkitDbContext.Access.cs). A context nobody
/// opened through an operation acts for <see cref="Viewer.Nobody"/> and sees no organization data.
/// </summary>
public partial class ToolkitDbContext(DbContextOptions<ToolkitDbContext> options)
    : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    public DbSet<FrameworkVersion> FrameworkVersions => Set<FrameworkVersion>();
    public DbSet<Section> Sections => Set<Section>();
    public DbSet<Element> Elements => Set<Element>();
    public DbSet<Criterion> Criteria => Set<Criterion>();
    public DbSet<Resource> Resources => Set<Resource>();
    public DbSet<ElementResource> ElementResources => Set<ElementResource>();
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<CaliforniaCounty> Counties => Set<CaliforniaCounty>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<ShareGrant> ShareGrants => Set<ShareGrant>();
    public DbSet<Partnership> Partnerships => Set<Partnership>();
    public DbSet<Assessment> Assessments => Set<Assessment>();
    public DbSet<ElementResponse> ElementResponses => Set<ElementResponse>();
    public DbSet<CriterionResponse> CriterionResponses => Set<CriterionResponse>();
    public DbSet<Submission> Submissions => Set<Submission>();
    public DbSet<SubmittedElement> SubmittedElements => Set<SubmittedElement>();
    public DbSet<SubmittedAnswer> SubmittedAnswers => Set<SubmittedAnswer>();
    public DbSet<Feedback> Feedback => Set<Feedback>();
    public DbSet<FeedbackThread> FeedbackThreads => Set<FeedbackThread>();
    public DbSet<FeedbackMessage> FeedbackMessages => Set<FeedbackMessage>();
    public DbSet<JointAssessment> JointAssessments => Set<JointAssessment>();
    public DbSet<LibraryResource> LibraryResources => Set<LibraryResource>();
    public DbSet<OrganizationDocument> OrganizationDocuments => Set<OrganizationDocument>();
    public DbSet<DocumentShare> DocumentShares => Set<DocumentShare>();
    public DbSet<ActionItem> ActionItems => Set<ActionItem>();
    public DbSet<CalendarSubscription> CalendarSubscriptions => Set<CalendarSubscription>();
    public DbSet<CommunityEvent> CommunityEvents => Set<CommunityEvent>();
    public DbSet<EventMaterial> EventMaterials => Set<EventMaterial>();
    public DbSet<EventRegistration> EventRegistrations => Set<EventRegistration>();
    public DbSet<SurveyQuestion> SurveyQuestions => Set<SurveyQuestion>();
    public DbSet<SurveyInstrument> SurveyInstruments => Set<SurveyInstrument>();
    public DbSet<SurveyItem> SurveyItems => Set<SurveyItem>();
    public DbSet<SurveyResponse> SurveyResponses => Set<SurveyResponse>();
    public DbSet<SurveyAnswer> SurveyAnswers => Set<SurveyAnswer>();
    public DbSet<Attendance> Attendances => Set<Attendance>();
    public DbSet<AttendanceImport> AttendanceImports => Set<AttendanceImport>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<NotificationSettings> NotificationSettings => Set<NotificationSettings>();
    public DbSet<OutgoingEmail> OutgoingEmails => Set<OutgoingEmail>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ToolkitDbContext).Assembly);

        // Ids are created by the domain (Guid.NewGuid in Entity), so a new child added to a tracked aggregate
        // is inserted, not mistaken for an existing row.
        foreach (var entity in builder.Model.GetEntityTypes().Where(t => typeof(Entity).IsAssignableFrom(t.ClrType)))
        {
            builder.Entity(entity.ClrType).Property(nameof(Entity.Id)).ValueGeneratedNever();
        }

        ApplyAccessFilters(builder);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // Closed sets are stored as readable strings, never as magic numbers.
        configurationBuilder.Properties<Audience>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<CriterionKind>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<Provenance>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<OrganizationKind>().HaveConversion<string>().HaveMaxLength(40);
        configurationBuilder.Properties<PlanModel>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<OrganizationRole>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<Answer>().HaveConversion<string>().HaveMaxLength(10);
        configurationBuilder.Properties<AssessmentStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<Priority>().HaveConversion<string>().HaveMaxLength(10);
        configurationBuilder.Properties<Decision>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<ShareKind>().HaveConversion<string>().HaveMaxLength(40);
        configurationBuilder.Properties<PartnershipStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<PartnerSide>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<ResourceKind>().HaveConversion<string>().HaveMaxLength(40);
        configurationBuilder.Properties<ResourceAudience>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<ResourceOrigin>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<QuestionKind>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<PortalSource>().HaveConversion<string>().HaveMaxLength(30);
        configurationBuilder.Properties<SurveyAudience>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<SurveyStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<AnswerOrigin>().HaveConversion<string>().HaveMaxLength(30);
    }
}
