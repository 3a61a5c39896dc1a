using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;

namespace PalliativeToolkit.Infrastructure.Access;

/// <summary>What a global role lets a person do anywhere in the portal.</summary>
public enum Permission
{
    /// <summary>Read every organization's submitted rounds and the statewide pages.</summary>
    ViewStatewide,

    /// <summary>Return or accept a submitted round.</summary>
    ReviewSubmissions,

    /// <summary>Organizations, accounts and roles.</summary>
    Administer,

    /// <summary>Run the learning community: schedule, change and cancel its events, keep their materials.</summary>
    RunCommunity,
    /// <summary>Build the annual surveys from the question bank, open and close them, remind, and export every response.</summary>
    RunSurveys,
}

/// <summary>What a role in an organization lets a member do there.</summary>
public enum OrganizationPermission
{
    Read,
    EditAssessments,
    StartAssessments,
    SubmitAssessments,
    ManagePeople,

    /// <summary>Keep the organization's partnerships, and share its readiness with partner plans.</summary>
    ManagePartners,

    /// <summary>Answer the statewide reviewers in a feedback thread on one of the organization's assessments.</summary>
    ReplyToFeedback,

    /// <summary>Resolve (or reopen) a feedback thread on the organization's side.</summary>
    ResolveFeedback,
}

/// <summary>
/// The one table of who may do what. Named authorization policies (pages) and the operation's viewer (services) both
/// read it, so a permission is never written twice.
/// </summary>
public static class Permissions
{
    public static IReadOnlyList<string> GlobalRolesFor(Permission permission) => permission switch
    {
        Permission.ViewStatewide => [GlobalRoles.StatewideReviewer, GlobalRoles.Administrator],
        Permission.ReviewSubmissions => [GlobalRoles.StatewideReviewer],
        Permission.Administer => [GlobalRoles.Administrator],
        Permission.RunCommunity => [GlobalRoles.StatewideReviewer],
        Permission.RunSurveys => [GlobalRoles.StatewideReviewer],
        _ => [],
    };

    public static bool Allows(OrganizationRole role, OrganizationPermission permission) => permission switch
    {
        OrganizationPermission.Read => true,
        OrganizationPermission.EditAssessments or OrganizationPermission.ReplyToFeedback => role is OrganizationRole.Manager or OrganizationRole.Contributor,
        OrganizationPermission.StartAssessments or OrganizationPermission.SubmitAssessments or OrganizationPermission.ManagePeople or OrganizationPermission.ManagePartners
            or OrganizationPermission.ResolveFeedback => role is OrganizationRole.Manager,
        _ => false,
    };
}

/// <summary>Thrown inside an operation when the viewer may not do what was asked; the operation answers "refused".</summary>
public sealed class AccessRefusedException : Exception
{
    public AccessRefusedException(string message) : base(message) { }

    public AccessRefusedException() { }

    public AccessRefusedException(string message, Exception innerException) : base(message, innerException) { }
}
