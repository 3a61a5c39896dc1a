using FluentValidation;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Web.Features.Admin;

namespace PalliativeToolkit.Web.Features.Team;

public sealed record TeamMember(string UserId, string DisplayName, string Email, OrganizationRole Role, AccountState State, bool IsYou, Guid Version);

public sealed record TeamOrganization(Guid Id, string Name, OrganizationKind Kind, OrganizationRole YourRole, IReadOnlyList<TeamMember> Members)
{
    public bool CanManage => YourRole == OrganizationRole.Manager;
}

/// <summary>A manager adds a person to their organization: a new account with an emailed link, or an existing account.</summary>
public sealed class AddTeamMemberCommand
{
    public Guid OrganizationId { get; set; }
    public string Email { get; set; } = string.Empty;
    public string DisplayName { get; set; } = string.Empty;
    public OrganizationRole Role { get; set; } = OrganizationRole.Contributor;
}

public sealed class AddTeamMemberValidator : AbstractValidator<AddTeamMemberCommand>
{
    public AddTeamMemberValidator()
    {
        RuleFor(c => c.OrganizationId).NotEmpty();
        RuleFor(c => c.Email).PersonEmail();
        RuleFor(c => c.DisplayName).PersonName();
        RuleFor(c => c.Role).IsInEnum().WithMessage("Choose a role.");
    }
}
