using PalliativeToolkit.Web.Features.ActionPlans;
using PalliativeToolkit.Web.Features.Admin;
using PalliativeToolkit.Web.Features.Assessments;
using PalliativeToolkit.Web.Features.Community;
using PalliativeToolkit.Web.Features.Feedback;
using PalliativeToolkit.Web.Features.Live;
using PalliativeToolkit.Web.Features.Notifications;
using PalliativeToolkit.Web.Features.Partners;
using PalliativeToolkit.Web.Features.Resources;
using PalliativeToolkit.Web.Features.Statewide;
using PalliativeToolkit.Web.Features.Surveys;
using PalliativeToolkit.Web.Features.Team;

namespace PalliativeToolkit.Web.Features;

public static class FeatureRegistration
{
    public static IServiceCollection AddFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.SectionName));
        services.AddSingleton<EmailOutbox>();
        services.AddHostedService<EmailOutboxWorker>();
        services.AddSingleton<IPersonalSignals, InProcessPersonalSignals>();
        services.AddSingleton<Notifier>();
        services.AddScoped<NotificationService>();
        services.AddSingleton<FrameworkCatalog>();
        services.AddScoped<AssessmentService>();
        services.AddSingleton<IAssessmentLive, InProcessAssessmentLive>();
        services.AddScoped<FeedbackThreadService>();
        services.AddSingleton<IFeedbackSignals, InProcessFeedbackSignals>();
        services.AddScoped<StatewideService>();
        services.AddScoped<ReviewQueueService>();
        services.AddScoped<CaliforniaProgressService>();
        services.AddScoped<AttendanceProgressService>();
        services.AddScoped<StatewideExports>();
        services.AddScoped<Invitations>();
        services.AddSingleton<InvitationLimit>();
        services.AddScoped<AdminService>();
        services.AddScoped<AuditService>();
        services.AddScoped<TeamService>();
        services.AddScoped<PartnerService>();
        services.AddScoped<ReadinessService>();
        services.AddSingleton<ISharingSignals, InProcessSharingSignals>();
        services.AddScoped<JointService>();
        services.AddScoped<ResourceService>();
        services.AddScoped<LibraryAdministration>();
        services.AddScoped<DocumentService>();
        services.AddSingleton<IJointSignals, InProcessJointSignals>();
        services.AddOptions<ActionPlanOptions>().Bind(configuration.GetSection(ActionPlanOptions.SectionName))
            .Validate(o => o.ReminderDays is >= 0 and <= 60, "ActionPlans:ReminderDays must be between 0 and 60.")
            .Validate(o => o.CheckMinutes is >= 1 and <= 1440, "ActionPlans:CheckMinutes must be between 1 and 1440.")
            .ValidateOnStart();
        services.AddScoped<ActionPlanService>();
        services.AddScoped<SurveyService>();
        services.AddScoped<SurveyResponseService>();
        services.AddScoped<SurveyResultsService>();
        services.AddScoped<SurveyExports>();
        services.AddScoped<ActionPlanCalendar>();
        services.AddHostedService<ActionItemReminderWorker>();
        services.AddOptions<CommunityOptions>().Bind(configuration.GetSection(CommunityOptions.SectionName))
            .Validate(o => o.ReminderHours is >= 1 and <= 24 * 14, "Community:ReminderHours must be between 1 and 336.")
            .Validate(o => o.CheckMinutes is >= 1 and <= 1440, "Community:CheckMinutes must be between 1 and 1440.")
            .Validate(o => o.ProgrammeStart is null || o.ProgrammeEnd is null || o.ProgrammeStart <= o.ProgrammeEnd, "Community:ProgrammeStart must come before ProgrammeEnd.")
            .ValidateOnStart();
        services.AddScoped<CommunityService>();
        services.AddScoped<AttendanceService>();
        services.AddScoped<CommunityCalendar>();
        services.AddScoped<ViewerTimeZone>();
        services.AddHostedService<EventReminderWorker>();
        return services;
    }
}
