using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.ActionPlans;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Api;

namespace PalliativeToolkit.Web.Tests;

/// <summary>What the API tests share: tokens made through the service, clients that present them, and JSON reading.</summary>
internal static partial class ApiTestKit
{
    /// <summary>A statewide reviewer (with the second factor the role needs) and a token of theirs, made through the service.</summary>
    public static async Task<(TestUser Reviewer, string Token)> ReviewerWithTokenAsync(WebApplicationFactory<Program> factory, TestData data, string role = GlobalRoles.StatewideReviewer, bool withPassword = false)
    {
        var reviewer = await data.UserAsync(globalRole: role, withPassword: withPassword);
        return (reviewer, await TokenAsync(factory, reviewer));
    }

    public static async Task<string> TokenAsync(WebApplicationFactory<Program> factory, TestUser user, string? name = null, int days = 90)
    {
        using var scope = factory.Services.CreateScope();
        var created = await scope.ServiceProvider.GetRequiredService<ApiTokenService>()
            .CreateAsync(user.Principal, new CreateApiTokenCommand { Name = name ?? $"Test {Guid.NewGuid():N}", ExpiresInDays = days }, TestContext.Current.CancellationToken);
        return created.Value.Secret;
    }

    public static HttpClient Client(WebApplicationFactory<Program> factory, string? token)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public static async Task<(System.Net.HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, body, response);
    }

    public static IReadOnlyList<JsonElement> Items(JsonElement page) => [.. page.GetProperty("items").EnumerateArray()];

    /// <summary>The fields of one form of a server-rendered page (the one whose handler is <paramref name="handler"/>), as a browser posts them.</summary>
    public static Dictionary<string, string> FormFields(string html, string handler)
    {
        var form = FormElement().Matches(html).Select(m => m.Value).Single(f => f.Contains($"value=\"{handler}\"", StringComparison.Ordinal));
        return HtmlForm.HiddenFields(form);
    }

    [GeneratedRegex("<form[^>]*>.*?</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormElement();

    /// <summary>
    /// Action items of a submitted assessment in each status, as the organization would have kept them: one planned and
    /// overdue, one in progress, one done, one dropped (written as the portal itself, for arranging).
    /// </summary>
    public static async Task AddActionItemsAsync(IServiceProvider services, Assessment assessment)
    {
        var operations = services.GetRequiredService<OperationRunner>();
        await using var op = operations.OpenAsSystem();
        var elements = await op.Db.ElementResponses.Where(e => e.AssessmentId == assessment.Id).Select(e => new { e.ElementId, e.Element!.Code, e.Element.Title, Section = e.Element.Section!.Code })
            .Take(4).ToListAsync(TestContext.Current.CancellationToken);
        var today = DateOnly.FromDateTime(op.Now);
        var statuses = new[] { ActionStatus.Planned, ActionStatus.InProgress, ActionStatus.Done, ActionStatus.Dropped };
        for (var i = 0; i < elements.Count; i++)
        {
            var e = elements[i];
            var item = ActionItem.ForGap(assessment.OrganizationId, assessment.Id, assessment.Cycle, e.ElementId, e.Section, e.Code, e.Title, ["x"], "", [], Level.BelowMinimum, op.Now, "test");
            // The first is overdue: due ten days ago (recorded as if set before then).
            item.Update(item.Title, null, today.AddDays(i == 0 ? -10 : 30), statuses[i], "", [], today.AddDays(-20), op.Now);
            op.Db.ActionItems.Add(item);
        }

        await op.SaveAsync();
    }

    public static string Cycle(int year) => year.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A plan of its own county and model, with a submitted assessment of <paramref name="cycle"/>.</summary>
    public static async Task<(Organization Plan, Assessment Assessment)> SubmittedPlanAsync(TestData data, string cycle, Answer answer = Answer.Met, string county = "Alameda", PlanModel model = PlanModel.SinglePlan)
    {
        var plan = await data.PlanAsync(counties: county, model: model);
        return (plan, await data.AssessmentAsync(plan, cycle, answer, submit: true));
    }
}
