using PalliativeToolkit.Web.Features.Admin;
using PalliativeToolkit.Web.Features.Assessments;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Tests;

/// <summary>Hidden characters and credentials are refused with a message for the field; real-world text passes.</summary>
public class TextRulesTests
{
    private static SaveOrganizationCommand Organization(string name, string services = "") =>
        new() { Name = name, Kind = Domain.Organizations.OrganizationKind.ManagedCarePlan, PlanModel = Domain.Organizations.PlanModel.SinglePlan, CountyFips = [.. Domain.Organizations.CaliforniaCounties.Named("Alameda").Select(c => c.Fips)], Services = services };

    [Theory]
    [InlineData("Golden Poppy\u202E Health")] // right-to-left override
    [InlineData("Golden\0Poppy")] // NUL
    [InlineData("Golden\u0007Poppy")] // bell
    [InlineData("Golden\nPoppy")] // a line break in a one-line name
    [InlineData("Golden\u200BPoppy")] // zero-width space
    [InlineData("Golden\u2066Poppy\u2069")] // isolate
    [InlineData("Golden\u2028Poppy")] // line separator
    public void A_name_with_control_or_invisible_characters_is_refused_with_the_reason(string name)
    {
        var result = new SaveOrganizationValidator().Validate(Organization(name));

        var error = Assert.Single(result.Errors, e => e.PropertyName == nameof(SaveOrganizationCommand.Name));
        Assert.Equal(TextRules.HiddenCharactersMessage, error.ErrorMessage);
    }

    [Theory]
    [InlineData("Árbol de Vida Health – Región Norte")]
    [InlineData("医療 Health Plan")]
    [InlineData("مركز الرعاية التلطيفية")] // right-to-left script itself is fine
    [InlineData("Manzanita Care 🌿")]
    [InlineData("Dr. Parker 👩‍⚕️")] // an emoji joined with U+200D
    [InlineData("می‌خواهم")] // Persian with a zero-width non-joiner
    public void Names_in_any_script_pass(string name) =>
        Assert.True(new SaveOrganizationValidator().Validate(Organization(name)).IsValid);

    [Fact]
    public void A_persons_name_refuses_hidden_characters_and_notes_keep_their_lines_but_not_overrides()
    {
        var invite = new InviteUserCommand { Email = "robin@plan.org", DisplayName = "Robin\u202Ezaid", OrganizationId = Guid.NewGuid() };
        Assert.Contains(new InviteUserValidator().Validate(invite).Errors, e => e.PropertyName == nameof(InviteUserCommand.DisplayName) && e.ErrorMessage == TextRules.HiddenCharactersMessage);

        var notes = new SaveElementCommand { EvidenceNotes = "Policy PC-12:\n\t- adopted in March\r\n\t- reviewed yearly" };
        Assert.True(new SaveElementValidator().Validate(notes).IsValid);
        notes.EvidenceNotes = "minutes\u202Efdp.exe";
        Assert.Contains(new SaveElementValidator().Validate(notes).Errors, e => e.PropertyName == nameof(SaveElementCommand.EvidenceNotes) && e.ErrorMessage == TextRules.HiddenCharactersMessage);

        var feedback = new ReturnAssessmentCommand { GeneralFeedback = "Please attach\u0000 the minutes." };
        Assert.Contains(new ReturnAssessmentValidator().Validate(feedback).Errors, e => e.ErrorMessage == TextRules.HiddenCharactersMessage);
    }

    [Theory]
    [InlineData("https://user:secret@evil.example/minutes.pdf", TextRules.CredentialsInLinkMessage)]
    [InlineData("https://plan.org@evil.example/", TextRules.CredentialsInLinkMessage)] // reads as plan.org, goes to evil.example
    [InlineData("https://exa\u200Bmple.org/policy", TextRules.HiddenCharactersMessage)]
    [InlineData("https://plan.org/\u202Efdp.exe", TextRules.HiddenCharactersMessage)]
    [InlineData("ftp://plan.org/file", "Enter a full web address starting with https:// or http://.")]
    [InlineData("https://plan.org/policies/pc-12.pdf", null)]
    [InlineData("https://intranet.plan.org/sites/Palliative%20Care/Board%20minutes.aspx?id=12#section-3", null)]
    public void A_link_is_refused_for_credentials_hidden_characters_or_another_scheme(string link, string? problem)
    {
        Assert.Equal(problem, SaveElementValidator.LinkProblem(link));
        var errors = new SaveElementValidator().Validate(new SaveElementCommand { EvidenceLinks = [link] }).Errors;
        Assert.Equal(problem is null, errors.Count == 0);
        if (problem is not null)
        {
            Assert.Contains(errors, e => e.ErrorMessage == problem);
        }
    }
}
