using System.Text;
using System.Text.Json;
using PalliativeToolkit.Benchmarks.Browser;
using PalliativeToolkit.Benchmarks.Portal;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Testing;
using static PalliativeToolkit.Benchmarks.Statistics;

namespace PalliativeToolkit.Benchmarks.Scenarios;

/// <summary>
/// The attendance import's review step with a large attendee report: 4,900 rows that match nobody (public mail
/// addresses), among 60 organizations. A reviewer chooses one row's organization at a time; measured in the page, from
/// the select's change event to the page showing one row fewer without an organization (the round trip, the server's
/// render and the browser's update). In-process portal on the empty template, headless Chromium.
/// </summary>
internal sealed class ImportReviewScenario : IScenario
{
    private const int Rows = 4_900;
    private const int PlansAndProviders = 30;
    private const int WarmUpChoices = 2;
    private const int TimedChoices = 10;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public string Name => "importreview";

    public string Description => Invariant($"Attendance import review of a {Rows:N0}-row attendee report: one row's organization chosen to the page showing it (in-process portal, headless Chromium)");

    public async Task<IReadOnlyList<ResultRow>> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        Progress("starting the portal in-process on the empty template");
        await using var portal = await InProcessPortal.StartOnEmptyTemplateAsync();
        for (var i = 0; i < PlansAndProviders; i++)
        {
            await portal.Data.PlanAsync();
            await portal.Data.ProviderAsync();
        }

        var reviewer = await portal.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer, withPassword: true);
        var webinar = await portal.Data.PastEventAsync(3, ["D1"]);
        using var user = await PortalUser.LogInAsync(portal.BaseUrl, reviewer.Email, TestUser.Password, cancellationToken);
        await using var browser = await Chromium.LaunchAsync(cancellationToken);
        var tab = await browser.OpenAsync(new Uri(portal.BaseUrl, $"community/events/{webinar.Id}/attendance/import"), user.AuthenticationCookies, cancellationToken);
        await tab.WaitUntilAsync("document.querySelector('[data-testid=interactive]') !== null && document.querySelector('#attendance-file') !== null",
            "the import page became interactive", Timeout, cancellationToken);

        var report = new StringBuilder("Name,Email,Duration\n");
        for (var i = 1; i <= Rows; i++)
        {
            report.Append(Invariant($"Attendee {i},attendee.{i}@gmail.com,45\n"));
        }

        Progress(Invariant($"uploading and reading {Rows:N0} rows"));
        var chosen = "document.querySelector('#attendance-file-help').textContent.includes('Chosen: attendees.csv')";
        for (var attempt = 1; !(await tab.EvaluateAsync(chosen, cancellationToken)).GetBoolean(); attempt++)
        {
            // The file input listens once its component has rendered interactively (InputFile's script): until then a
            // change goes unheard, and is given again.
            await tab.EvaluateAsync($$"""
                (() => {
                  const input = document.querySelector('#attendance-file');
                  const files = new DataTransfer();
                  files.items.add(new File([{{JsonSerializer.Serialize(report.ToString())}}], 'attendees.csv', { type: 'text/csv' }));
                  input.files = files.files;
                  input.dispatchEvent(new Event('change', { bubbles: true }));
                  return true;
                })()
                """, cancellationToken);
            try
            {
                await tab.WaitUntilAsync(chosen, "the file was chosen", TimeSpan.FromSeconds(5), cancellationToken);
            }
            catch (TimeoutException) when (attempt < 10)
            {
            }
        }

        await tab.WaitUntilAsync("!document.querySelector('[data-testid=import-read]').disabled", "the file was uploaded", Timeout, cancellationToken);
        await tab.EvaluateAsync("document.querySelector('[data-testid=import-read]').click(), true", cancellationToken);
        await tab.WaitUntilAsync(Invariant($"document.querySelector('[data-testid=review-summary]')?.textContent.includes('{Rows} attendees in the file') && document.querySelectorAll('[data-testid=review-organization]').length > {WarmUpChoices + TimedChoices}"),
            "the review showed the report", Timeout, cancellationToken);
        var shown = (await tab.EvaluateAsync("document.querySelectorAll('[data-testid=review-row]').length", cancellationToken)).GetInt32();
        var elements = (await tab.EvaluateAsync("document.getElementsByTagName('*').length", cancellationToken)).GetInt32();

        var times = new List<double>();
        for (var i = 0; i < WarmUpChoices + TimedChoices; i++)
        {
            var milliseconds = (await tab.EvaluateAsync(Invariant($$"""
                new Promise((resolve, reject) => {
                  const pending = document.querySelector('[data-testid=review-pending]');
                  const before = pending.textContent;
                  const select = document.querySelectorAll('[data-testid=review-organization]')[{{i}}];
                  const observer = new MutationObserver(() => {
                    if (pending.textContent !== before) { observer.disconnect(); resolve(performance.now() - start); }
                  });
                  observer.observe(pending, { subtree: true, childList: true, characterData: true });
                  setTimeout(() => { observer.disconnect(); reject(new Error('the choice was not shown within 120 s')); }, 120000);
                  const start = performance.now();
                  select.value = select.options[2 + ({{i}} % 20)].value;
                  select.dispatchEvent(new Event('change', { bubbles: true }));
                })
                """), cancellationToken)).GetDouble();
            Progress(Invariant($"choice {i + 1}: {milliseconds:0} ms{(i < WarmUpChoices ? " (warm-up)" : "")}"));
            if (i >= WarmUpChoices)
            {
                times.Add(milliseconds);
            }
        }

        await tab.LeaveAsync(cancellationToken);
        IReadOnlyList<double> sorted = [.. times.Order()];
        return
        [
            new(Name, Invariant($"One row's organization chosen, {Rows:N0} rows: median"), Milliseconds(Median(sorted)),
                Invariant($"in the page, from the select's change event to the pending count updated; {TimedChoices} choices after {WarmUpChoices} warm-up ones; min {sorted[0]:0} ms, max {sorted[^1]:0} ms; {shown:N0} rows shown at a time, {elements:N0} DOM elements; {PlansAndProviders * 2} organizations")),
        ];
    }

    private static void Progress(string line) => Console.Error.WriteLine($"  {line}");
}
