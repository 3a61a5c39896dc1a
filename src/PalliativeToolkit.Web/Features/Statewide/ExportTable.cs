using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;

namespace PalliativeToolkit.Web.Features.Statewide;

/// <summary>A view of the statewide pages that exports: one CSV file, or one sheet of the workbook.</summary>
public enum ExportView
{
    Standing,
    Heatmap,
    Compare,
    Submissions,
    ProviderReadiness,
    JointSubmissions,
    OpenItems,
    Trends,
    ElementTrends,
    ReviewQueue,
    PartnerPlans,
    PartnerProviders,
    ProgressByModel,
}

/// <summary>How a column's values are written: text, a number, a share (0 to 1, a percentage in the workbook), a date.</summary>
public enum ExportFormat
{
    Text,
    Number,
    Share,
    Date,
}

public sealed record ExportColumn(string Name, ExportFormat Format = ExportFormat.Text);

/// <summary>
/// One view's rows, produced as they are read (never a list of them). <see cref="Rows"/> starts the view's query each time
/// it is enumerated; its values are strings, ints, doubles (shares), <see cref="DateOnly"/>s or null, one per column.
/// </summary>
public sealed class ExportTable
{
    private readonly Func<CancellationToken, IAsyncEnumerable<object?[]>> _rows;

    public ExportTable(ExportView view, string? cycle, IReadOnlyList<ExportColumn> columns, Func<CancellationToken, IAsyncEnumerable<object?[]>> rows)
        : this(view.Sheet(), cycle, columns, rows) => View = view;

    /// <summary>A table of another feature's export (the survey responses, say): named by its sheet, of no statewide view.</summary>
    public ExportTable(string sheet, string? cycle, IReadOnlyList<ExportColumn> columns, Func<CancellationToken, IAsyncEnumerable<object?[]>> rows)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sheet);
        Sheet = sheet.Length <= 31 ? sheet : throw new ArgumentException("Excel allows sheet names of 31 characters at most.", nameof(sheet));
        Cycle = cycle;
        Columns = columns;
        _rows = rows;
    }

    /// <summary>The statewide view it is, or null for another feature's table.</summary>
    public ExportView? View { get; }

    /// <summary>Its sheet in a workbook.</summary>
    public string Sheet { get; }

    /// <summary>The cycle the rows are of (it names the file), or null for a view across cycles.</summary>
    public string? Cycle { get; }

    public IReadOnlyList<ExportColumn> Columns { get; }

    public IAsyncEnumerable<object?[]> Rows(CancellationToken cancellationToken) => _rows(cancellationToken);
}

/// <summary>Names, slugs and files of the exported views.</summary>
public static class ExportViews
{
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string WorkbookContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static IReadOnlyList<ExportView> All { get; } = Enum.GetValues<ExportView>();

    /// <summary>The view's name in addresses and file names: <c>heatmap</c>, <c>review-queue</c>.</summary>
    public static string Slug(this ExportView view) => view switch
    {
        ExportView.ElementTrends => "element-trends",
        ExportView.ProviderReadiness => "provider-readiness",
        ExportView.JointSubmissions => "joint-submissions",
        ExportView.OpenItems => "open-items",
        ExportView.ReviewQueue => "review-queue",
        ExportView.PartnerPlans => "partner-plans",
        ExportView.PartnerProviders => "partner-providers",
        ExportView.ProgressByModel => "progress-by-model",
        _ => view.ToString().ToLowerInvariant(),
    };

    /// <summary>The view's sheet in the workbook (at most 31 characters, as Excel allows).</summary>
    public static string Sheet(this ExportView view) => view switch
    {
        ExportView.Standing => "Where the state stands",
        ExportView.Heatmap => "Heatmap",
        ExportView.Compare => "Plans compared",
        ExportView.Submissions => "Latest submissions",
        ExportView.ProviderReadiness => "Provider readiness",
        ExportView.JointSubmissions => "Section E assessed together",
        ExportView.OpenItems => "Where plans are working",
        ExportView.Trends => "Trends by plan",
        ExportView.ElementTrends => "Trends by element",
        ExportView.ReviewQueue => "Review queue",
        ExportView.PartnerPlans => "Partners by plan",
        ExportView.PartnerProviders => "Partners by provider",
        _ => "Progress by plan model",
    };

    public static bool TryParse(string? slug, out ExportView view)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Slug(), slug, StringComparison.Ordinal))
            {
                view = candidate;
                return true;
            }
        }

        view = default;
        return false;
    }

    /// <summary>
    /// <c>palliativetoolkit-heatmap-2025-26-2026-11-26.csv</c>: the view (or <c>statewide</c> for the workbook), the cycle
    /// when there is one (a fiscal year as its years), and the California date of the export.
    /// </summary>
    public static string FileName(string name, string? cycle, DateOnly today, string extension)
    {
        var builder = new StringBuilder("palliativetoolkit-").Append(name);
        if (CycleSlug(cycle) is { Length: > 0 } slug)
        {
            builder.Append('-').Append(slug);
        }

        return builder.Append('-').Append(today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('.').Append(extension).ToString();
    }

    /// <summary><c>FY 2025-26</c> → <c>2025-26</c>, <c>2026</c> → <c>2026</c>; any other label keeps only its letters, digits and dashes.</summary>
    public static string? CycleSlug(string? cycle)
    {
        if (string.IsNullOrWhiteSpace(cycle))
        {
            return null;
        }

        if (ReportingCycle.Of(cycle) is { } known)
        {
            return known.IsFiscal
                ? string.Create(CultureInfo.InvariantCulture, $"{known.Year}-{(known.Year + 1) % 100:00}")
                : known.Year.ToString(CultureInfo.InvariantCulture);
        }

        var kept = new string(cycle.Trim().ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        return string.Join('-', kept.Split('-', StringSplitOptions.RemoveEmptyEntries));
    }
}

/// <summary>
/// What an export shows, read from its address: the cycle (the standing, heatmap, compare and trends; the latest with a
/// submission when none, and a cycle without submitted rounds is a bad request, never the latest's rows), the heatmap's filters and sort, the plans compared (organizations, in any order: the export
/// lists them as the page does), and the review queue's filters (its status and kind; its cycle only when one is named).
/// </summary>
public sealed record ExportQuery(
    string? Cycle = null, PlanModel? Model = null, string? Region = null, string? CountyFips = null, Decision Status = Decision.Pending, OrganizationKind? Kind = null,
    string? Sort = null, IReadOnlyList<Guid>? Plans = null)
{
    /// <summary>The heatmap's sort that is not the plan's name: its rows by elements at minimum, the most first.</summary>
    public const string ByMinimum = "minimum";

    public HeatmapQuery Heatmap => new(Cycle, Model, Region, CountyFips, Sort);

    public ReviewQueueQuery Queue => new(Status, Cycle, Kind);

    /// <summary>The plans compared (none when the address names none).</summary>
    public IReadOnlyList<Guid> Compared => Plans ?? [];

    /// <summary>Reads the query string; false with the reason when a filter names something that does not exist.</summary>
    public static bool TryRead(IQueryCollection query, out ExportQuery result, out string problem)
    {
        ArgumentNullException.ThrowIfNull(query);
        result = new ExportQuery();
        problem = string.Empty;
        // A cycle as people write it ("fy2025-26") is the cycle's label; a label that is not a cycle stays as written.
        var cycle = Text(query, "cycle") is { } cycleText ? ReportingCycle.Of(cycleText)?.Label ?? cycleText : null;
        PlanModel? model = null;
        if (Text(query, "model") is { } modelText)
        {
            if (!Enum.TryParse<PlanModel>(modelText, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || parsed == PlanModel.None || int.TryParse(modelText, out _))
            {
                problem = "Choose a plan model the heatmap offers.";
                return false;
            }

            model = parsed;
        }

        var region = Text(query, "region");
        if (region is not null && !CaliforniaCounties.Regions.Contains(region))
        {
            problem = "Choose one of California's regions.";
            return false;
        }

        var county = Text(query, "county");
        if (county is not null && CaliforniaCounties.ByFips(county) is null)
        {
            problem = "Choose a California county.";
            return false;
        }

        var status = Decision.Pending;
        if (Text(query, "status") is { } statusText
            && (!Enum.TryParse(statusText, ignoreCase: true, out status) || status == Decision.Withdrawn || !Enum.IsDefined(status) || int.TryParse(statusText, out _)))
        {
            problem = "Choose rounds awaiting review, returned or accepted.";
            return false;
        }

        OrganizationKind? kind = null;
        if (Text(query, "kind") is { } kindText)
        {
            if (!Enum.TryParse<OrganizationKind>(kindText, ignoreCase: true, out var parsed)
                || parsed is not (OrganizationKind.ManagedCarePlan or OrganizationKind.PalliativeCareProvider) || int.TryParse(kindText, out _))
            {
                problem = "Choose plans or providers.";
                return false;
            }

            kind = parsed;
        }

        // The heatmap's sort: its rows by elements at minimum, or by one element's level (an element's code: the export
        // checks it is one of the cycle's columns).
        var sort = Text(query, "sort");
        if (sort is not null && sort != ByMinimum && (sort.Length > 16 || !sort.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-')))
        {
            problem = "Choose a sort the heatmap offers.";
            return false;
        }

        List<Guid>? plans = null;
        if (query.TryGetValue("plan", out var planValues) && planValues.Count > 0)
        {
            plans = [];
            foreach (var value in planValues)
            {
                if (!Guid.TryParse(value?.Trim(), out var id) || id == Guid.Empty)
                {
                    problem = "Choose the plans to compare from the list.";
                    return false;
                }

                if (!plans.Contains(id))
                {
                    plans.Add(id);
                }
            }
        }

        result = new ExportQuery(cycle, model, region, county, status, kind, sort, plans);
        return true;
    }

    /// <summary>The query string that <see cref="TryRead"/> reads back (empty when every value is the default), starting with '?'.</summary>
    public string ToQueryString()
    {
        var values = new List<KeyValuePair<string, string?>>
        {
            new("cycle", Cycle),
            new("model", Model?.ToString()),
            new("region", Region),
            new("county", CountyFips),
            new("status", Status == Decision.Pending ? null : Status.ToString()),
            new("kind", Kind?.ToString()),
            new("sort", Sort),
        };
        values.AddRange(Compared.Select(id => new KeyValuePair<string, string?>("plan", id.ToString())));
        return QueryHelpers.AddQueryString(string.Empty, values.Where(v => !string.IsNullOrWhiteSpace(v.Value)));
    }

    private static string? Text(IQueryCollection query, string key) =>
        query.TryGetValue(key, out var values) && values.ToString().Trim() is { Length: > 0 } text ? text : null;
}
