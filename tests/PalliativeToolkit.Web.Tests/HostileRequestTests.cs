using System.Net;
using PalliativeToolkit.Testing;

namespace PalliativeToolkit.Web.Tests;

/// <summary>Addresses and posts an attacker would send: never a 500, never a redirect off the portal, never without a token.</summary>
public class HostileRequestTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    public static TheoryData<string> HostileReturnUrls => new()
    {
        "/evil.example",
        "//evil.example",
        "\\evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "assessments\r\nX-Injected: yes",
        "%0d%0aSet-Cookie: x=y",
        "http://localhost///evil.example", // the portal's own address, then a path that a browser reads as another host
    };

    /// <summary>The redirect is to a page of this portal (as a browser resolves it), whatever the address asked for.</summary>
    private static void AssertStaysOnThePortal(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.False(location.Any(char.IsControl), location);
        var target = new Uri(new Uri("http://localhost/"), location.Replace('\\', '/'));
        Assert.Equal("http://localhost", target.GetLeftPart(UriPartial.Authority));
    }

    private static async Task<string> TokenAsync(HttpClient client, string path)
    {
        var page = await client.GetStringAsync(path, TestContext.Current.CancellationToken);
        return HtmlForm.HiddenFields(page)["__RequestVerificationToken"];
    }

    [Theory]
    [MemberData(nameof(HostileReturnUrls))]
    public async Task Logging_out_with_a_hostile_return_address_lands_on_the_portal(string returnUrl)
    {
        var client = await factory.SignedInClientAsync("viewer");
        var token = await TokenAsync(client, "/");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["ReturnUrl"] = returnUrl });

        using var response = await client.PostAsync("/Account/Logout", form, TestContext.Current.CancellationToken);

        AssertStaysOnThePortal(response);
    }

    [Theory]
    [MemberData(nameof(HostileReturnUrls))]
    public async Task Signing_in_with_a_hostile_return_address_lands_on_the_portal(string returnUrl)
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        var path = "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl);
        using var page = await client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var fields = HtmlForm.HiddenFields(await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        fields["Input.Email"] = $"contributor@{PortalFactory.Domain}";
        fields["Input.Password"] = PortalFactory.Password;
        using var form = new FormUrlEncodedContent(fields);

        using var response = await client.PostAsync(path, form, TestContext.Current.CancellationToken);

        AssertStaysOnThePortal(response);
    }

    [Theory]
    [InlineData("/Account/PasskeyRequestOptions")]
    [InlineData("/Account/PasskeyCreationOptions")]
    [InlineData("/Account/Manage/DownloadPersonalData")]
    public async Task A_post_without_an_antiforgery_token_is_refused_with_400(string path)
    {
        var client = await factory.SignedInClientAsync("manager2");

        using var response = await client.PostAsync(path, new StringContent(string.Empty), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

}

/// <summary>
/// A page of another site cannot open a Blazor circuit with the visitor's cookie: the WebSocket that a circuit runs on
/// (which a page may open without negotiating first) is refused unless the browser says it comes from the portal.
/// </summary>
public class BlazorHubOriginTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private async Task<System.Net.WebSockets.WebSocket> ConnectAsync(string? origin)
    {
        var client = factory.Server.CreateWebSocketClient();
        client.ConfigureRequest = request =>
        {
            if (origin is not null)
            {
                request.Headers.Origin = origin;
            }
        };
        return await client.ConnectAsync(new Uri(factory.Server.BaseAddress, "_blazor"), TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://localhost.evil.example")]
    [InlineData("https://localhost")] // another scheme is another origin
    [InlineData("null")] // a sandboxed frame or a file
    public async Task The_circuit_hub_refuses_a_websocket_from_a_foreign_origin(string origin)
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(origin));
        Assert.Contains("403", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost")]
    [InlineData(null)]
    public async Task The_circuit_hub_accepts_a_websocket_from_the_portals_own_pages(string? origin)
    {
        using var socket = await ConnectAsync(origin);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, socket.State);
    }
}
