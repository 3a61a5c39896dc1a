using FluentValidation;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Admin;

/// <summary>Adds an organization (no <see cref="Id"/>) or changes one (its id and the version that was shown).</summary>
public sealed class SaveOrganizationCommand
{
    public Guid? Id { get; set; }
    public Guid ExpectedVersion { get; set; }
    public string Name { get; set; } = string.Empty;
    public OrganizationKind Kind { get; set; } = OrganizationKind.ManagedCarePlan;
    public PlanModel PlanModel { get; set; } = PlanModel.None;
    /// <summary>The counties served, as FIPS codes chosen from California's 58.</summary>
    public IReadOnlyCollection<string> CountyFips { get; set; } = [];
    public string? ProviderType { get; set; }
    public string? Services { get; set; }

    internal IReadOnlyList<CaliforniaCounty> Counties() => CountyFips.Select(CaliforniaCounties.ByFips).OfType<CaliforniaCounty>().ToList();
}

public sealed class SaveOrganizationValidator : AbstractValidator<SaveOrganizationCommand>
{
    public SaveOrganizationValidator()
    {
        RuleFor(c => c.Name)
            .NotEmpty().WithMessage("Enter the organization's name.")
            .MaximumLength(Limits.Name).WithMessage($"The name can be at most {Limits.Name} characters.");
        RuleFor(c => c.Name).PlainLine();
        RuleFor(c => c.ProviderType).PlainLine();
        RuleFor(c => c.Services).PlainText();
        RuleFor(c => c.Kind).IsInEnum().WithMessage("Choose the kind of organization.");
        RuleFor(c => c.PlanModel).IsInEnum().WithMessage("Choose the plan model.");
        RuleFor(c => c.PlanModel)
            .NotEqual(PlanModel.None).When(c => c.Kind == OrganizationKind.ManagedCarePlan)
            .WithMessage("Choose the plan's Medi-Cal managed care model.");
        RuleFor(c => c.CountyFips)
            .NotEmpty().When(c => c.Kind != OrganizationKind.StatewideSupport).WithMessage("Choose the counties served.")
            .Must(f => f.All(code => CaliforniaCounties.ByFips(code) is not null)).WithMessage("Choose counties from California's 58.");
        RuleFor(c => c.ProviderType).MaximumLength(Limits.Name).WithMessage($"The kind of provider can be at most {Limits.Name} characters.");
        RuleFor(c => c.Services).MaximumLength(Limits.ShortText).WithMessage($"The services can be at most {Limits.ShortText} characters.");
    }
}

/// <summary>An administrator creates an account and emails the person a link to choose a password.</summary>
public sealed class InviteUserCommand
{
    public string Email { get; set; } = string.Empty;
    public string DisplayName { get; set; } = string.Empty;
    /// <summary>Empty for an account with only a global role.</summary>
    public Guid OrganizationId { get; set; }
    public OrganizationRole Role { get; set; } = OrganizationRole.Contributor;
    public bool Administrator { get; set; }
    public bool StatewideReviewer { get; set; }
}

public sealed class InviteUserValidator : AbstractValidator<InviteUserCommand>
{
    public const int EmailLength = 256;

    public InviteUserValidator()
    {
        RuleFor(c => c.Email).PersonEmail();
        RuleFor(c => c.DisplayName).PersonName();
        RuleFor(c => c.Role).IsInEnum().WithMessage("Choose a role.");
        RuleFor(c => c.OrganizationId)
            .NotEmpty().When(c => !c.Administrator && !c.StatewideReviewer)
            .WithMessage("Choose an organization, or give a global role: an account with neither would see nothing.");
    }

    /// <summary>One plain address (no display name, no list) with a dotted domain.</summary>
    public static bool BeEmailAddress(string? text)
    {
        var trimmed = text?.Trim() ?? string.Empty;
        return System.Net.Mail.MailAddress.TryCreate(trimmed, out var address)
            && address.Address == trimmed
            && address.Host.Contains('.', StringComparison.Ordinal)
            && !address.Host.EndsWith('.');
    }

    public static IEnumerable<string> RolesOf(InviteUserCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Administrator)
        {
            yield return GlobalRoles.Administrator;
        }

        if (command.StatewideReviewer)
        {
            yield return GlobalRoles.StatewideReviewer;
        }
    }
}

/// <summary>The rules for a person's email and name, wherever an account is created.</summary>
public static class PersonRules
{
    public static IRuleBuilderOptions<T, string> PersonEmail<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().WithMessage("Enter the person's email address.")
            .MaximumLength(InviteUserValidator.EmailLength).WithMessage($"The email address can be at most {InviteUserValidator.EmailLength} characters.")
            .Must(InviteUserValidator.BeEmailAddress).WithMessage("Enter a valid email address, for example name@plan.org.");

    public static IRuleBuilderOptions<T, string> PersonName<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().WithMessage("Enter the person's name.")
            .MaximumLength(Limits.Name).WithMessage($"The name can be at most {Limits.Name} characters.")
            .Must(TextRules.IsPlainLine).WithMessage(TextRules.HiddenCharactersMessage);
}

public sealed class SetMembershipCommand
{
    public string UserId { get; set; } = string.Empty;

    /// <summary>The version of the membership as shown; null to add one.</summary>
    public Guid? ExpectedVersion { get; set; }
    public Guid OrganizationId { get; set; }
    public OrganizationRole Role { get; set; } = OrganizationRole.Contributor;
}

public sealed class SetMembershipValidator : AbstractValidator<SetMembershipCommand>
{
    public SetMembershipValidator()
    {
        RuleFor(c => c.UserId).NotEmpty().MaximumLength(Limits.UserId);
        RuleFor(c => c.OrganizationId).NotEmpty().WithMessage("Choose an organization.");
        RuleFor(c => c.Role).IsInEnum().WithMessage("Choose a role.");
    }
}

public static class GlobalRoleText
{
    public static string Describe(string role) => role == GlobalRoles.StatewideReviewer ? "Statewide reviewer" : role;
}
