using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using PalliativeToolkit.Web.Features.Partners;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// bUnit: the add-partner form keeps a corrected contact email typed just before "Add partner", whatever order a loaded
/// server meets the field's change, its two blurs (Blazor's and MudBlazor's own) and the click in, even all queued at once.
/// </summary>
public sealed class PartnerFormTests : BunitContext, IClassFixture<PortalFactory>
{
    private const string Corrected = "jordan.lee@example.org";
    private const string EmailError = "Enter a valid email address";

    private readonly PortalFactory _factory;
    private readonly IServiceScope _scope;

    public PartnerFormTests(PortalFactory factory)
    {
        _factory = factory;
        _scope = factory.Services.CreateScope();
        Services.AddMudServices();
        Services.AddFallbackServiceProvider(_scope.ServiceProvider);
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    protected override void Dispose(bool disposing)
    {
        _scope.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>The form after "not-an-address" was refused next to the contact's email.</summary>
    private async Task<IRenderedComponent<PartnerForm>> FormWithARefusedEmailAsync()
    {
        var plan = await _factory.Data.PlanAsync();
        var provider = await _factory.Data.ProviderAsync();
        var manager = await _factory.Data.UserAsync(plan);
        var form = Render<PartnerForm>(p => p
            .Add(c => c.Plan, new PlanArea(plan.Id, plan.Name, plan.CountyFips.ToList(), true))
            .Add(c => c.Providers, [new OrganizationChoice(provider.Id, provider.Name)])
            .AddCascadingValue(Task.FromResult(new AuthenticationState(manager.Principal))));
        form.FindAll("button").Single(b => b.TextContent.Contains("Add a contact", StringComparison.Ordinal)).Click();
        await Email(form).ChangeAsync(new() { Value = "not-an-address" });
        await Email(form).BlurAsync(new());
        await Submit(form).ClickAsync(new());
        form.WaitForAssertion(() => Assert.Contains(EmailError, form.Markup, StringComparison.Ordinal));
        return form;
    }

    private static IElement Email(IRenderedComponent<PartnerForm> form) => form.Find("#contact-0-email");

    private static IElement Submit(IRenderedComponent<PartnerForm> form) => form.FindAll("button").Single(b => b.TextContent.Trim() == "Add partner");

    private static MudInput<string> EmailInput(IRenderedComponent<PartnerForm> form) =>
        form.FindComponents<MudInput<string>>().Single(i => i.FindAll("#contact-0-email").Count == 1).Instance;

    /// <summary>The corrected email was checked (its error is gone) and is still shown.</summary>
    private static void AssertCorrectedEmailKept(IRenderedComponent<PartnerForm> form)
    {
        form.WaitForAssertion(() => Assert.DoesNotContain(EmailError, form.Markup, StringComparison.Ordinal));
        Assert.Equal(Corrected, Email(form).GetAttribute("value"));
    }

    [Fact]
    public async Task A_corrected_email_then_add_partner_in_the_browsers_order_checks_the_corrected_email()
    {
        var form = await FormWithARefusedEmailAsync();

        await Email(form).ChangeAsync(new() { Value = Corrected });
        await Email(form).BlurAsync(new());
        await form.InvokeAsync(() => EmailInput(form).CallOnBlurredAsync());
        await Submit(form).ClickAsync(new());

        AssertCorrectedEmailKept(form);
    }

    [Fact]
    public async Task A_corrected_email_then_add_partner_all_queued_at_once_checks_the_corrected_email()
    {
        var form = await FormWithARefusedEmailAsync();
        var input = EmailInput(form);

        // The change, both blurs and the click are all waiting before the server runs the first of them.
        var events = new List<Task>();
        await form.InvokeAsync(() =>
        {
            events.Add(Email(form).ChangeAsync(new() { Value = Corrected }));
            events.Add(Email(form).BlurAsync(new()));
            events.Add(input.CallOnBlurredAsync());
            events.Add(Submit(form).ClickAsync(new()));
        });
        await Task.WhenAll(events);

        AssertCorrectedEmailKept(form);
    }

    [Fact]
    public async Task A_blur_that_overtakes_the_change_does_not_put_the_refused_email_back()
    {
        var form = await FormWithARefusedEmailAsync();
        var input = EmailInput(form);

        var events = new List<Task>();
        await form.InvokeAsync(() =>
        {
            events.Add(Email(form).BlurAsync(new()));
            events.Add(input.CallOnBlurredAsync());
            events.Add(Email(form).ChangeAsync(new() { Value = Corrected }));
            events.Add(Submit(form).ClickAsync(new()));
        });
        await Task.WhenAll(events);

        AssertCorrectedEmailKept(form);
    }

    [Fact]
    public async Task A_click_that_overtakes_the_change_keeps_the_typed_email_and_the_next_click_checks_it()
    {
        var form = await FormWithARefusedEmailAsync();

        var events = new List<Task>();
        await form.InvokeAsync(() =>
        {
            events.Add(Submit(form).ClickAsync(new()));
            events.Add(Email(form).ChangeAsync(new() { Value = Corrected }));
        });
        await Task.WhenAll(events);
        Assert.Equal(Corrected, Email(form).GetAttribute("value"));

        await Submit(form).ClickAsync(new());
        AssertCorrectedEmailKept(form);
    }
}
