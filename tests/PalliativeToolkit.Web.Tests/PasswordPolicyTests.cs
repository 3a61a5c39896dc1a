using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Testing;

namespace PalliativeToolkit.Web.Tests;

/// <summary>The app's password rules (ASVS V6.2), through its own UserManager: every validator it runs.</summary>
public class PasswordPolicyTests(EmptyPortalFactory factory) : IClassFixture<EmptyPortalFactory>
{
    private static readonly ApplicationUser Robin = new() { UserName = "robin.diaz@sierravista.example", Email = "robin.diaz@sierravista.example", DisplayName = "Robin Diaz" };

    private async Task<List<IdentityError>> ErrorsAsync(string password)
    {
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var errors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            errors.AddRange((await validator.ValidateAsync(users, Robin, password)).Errors);
        }

        return errors;
    }

    [Theory]
    [InlineData("Aa1!aa")] // the old rules' minimum
    [InlineData("Password1!")] // composition rules satisfied, 10 characters
    [InlineData("elevenchars")]
    public async Task Passwords_under_twelve_characters_are_refused_whatever_they_contain(string password)
    {
        var error = Assert.Single(await ErrorsAsync(password));
        Assert.Equal("PasswordTooShort", error.Code);
        Assert.True(PasswordPolicy.IsPasswordError(error));
    }

    [Theory]
    [InlineData("password1234", "common passwords")]
    [InlineData("Password123!", "common passwords")]
    [InlineData("qwertyuiopasdf", "common passwords")] // "qwertyuiop" is in the list before it is a row of keys
    [InlineData("aaaaaaaaaaaaaaaa", "repeats")]
    [InlineData("abcdefghijklmnop", "sequence")]
    [InlineData("RobinDiaz2026", "your name")]
    [InlineData("sierravista12", "your name")]
    [InlineData("palliative2026", "this portal's name")]
    public async Task Long_but_guessable_passwords_are_refused_with_the_reason(string password, string reason)
    {
        var error = Assert.Single(await ErrorsAsync(password));
        Assert.Equal("PasswordGuessable", error.Code);
        Assert.Contains(reason, error.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("correct horse battery staple")] // spaces and lower case only: no composition rules
    [InlineData("tangerine lighthouse quietly")]
    [InlineData("Q7v#mZ2p!wLx")]
    [InlineData("ünïcödé pässwörd gârden 🌿")]
    [InlineData(TemplateDatabase.DemoPassword)]
    [InlineData(TemplateDatabase.AdministratorPassword)]
    [InlineData(TestUser.Password)]
    [InlineData("Demo-Toolkit-2026!")] // the demo password in appsettings.json
    [InlineData("Bench-Demo-Password-1!")]
    [InlineData("First-Day-Admin-2026!")]
    [InlineData("Chosen-By-Robin-2026!")]
    [InlineData("Changed-By-Val-2026!")]
    public async Task Long_unpredictable_passwords_and_phrases_are_accepted(string password) =>
        Assert.Empty(await ErrorsAsync(password));

    [Fact]
    public async Task Passwords_up_to_128_characters_are_accepted_and_longer_ones_refused()
    {
        var phrase = string.Concat(Enumerable.Repeat("river stone lantern orchard ", 5));
        Assert.Empty(await ErrorsAsync(phrase[..128]));

        var error = Assert.Single(await ErrorsAsync(phrase[..129]));
        Assert.Equal("PasswordTooLong", error.Code);
    }
}
