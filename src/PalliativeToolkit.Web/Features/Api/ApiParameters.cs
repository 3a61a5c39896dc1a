using System.Globalization;
using Microsoft.Extensions.Primitives;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;

namespace PalliativeToolkit.Web.Features.Api;

/// <summary>A query parameter of the API: its name, what it holds, and its values when it is a closed set.</summary>
public sealed record ApiParameter(string Name, string Description, ApiParameterKind Kind, IReadOnlyList<string>? Values = null);

public enum ApiParameterKind
{
    Text,
    WholeNumber,
    Identifier,
}

/// <summary>The API's query parameters, each written once: the endpoints read them, the OpenAPI document describes them.</summary>
public static class ApiParameters
{
    public static readonly ApiParameter Page = new("page", "The page to answer, from 1 (default 1).", ApiParameterKind.WholeNumber);

    public static readonly ApiParameter PageSize = new("pageSize", $"How many items a page holds: 1 to {Paging.MaxPageSize} (default {Paging.DefaultPageSize}).", ApiParameterKind.WholeNumber);

    public static readonly ApiParameter Cycle = new("cycle", "A reporting cycle: a year such as 2026, or a fiscal year such as FY 2026-27.", ApiParameterKind.Text);

    public static readonly ApiParameter Kind = new("kind", "The kind of organization.", ApiParameterKind.Text, Names<OrganizationKind>());

    public static readonly ApiParameter PlanModel = new("planModel", "A plan's Medi-Cal managed care model (plans only).", ApiParameterKind.Text,
        Names<PlanModel>().Where(n => n != nameof(Domain.Organizations.PlanModel.None)).ToList());

    public static readonly ApiParameter County = new("county", "A California county served, by name (Alameda) or FIPS code (06001).", ApiParameterKind.Text);

    public static readonly ApiParameter Organization = new("organization", "One organization, by its id.", ApiParameterKind.Identifier);

    public static readonly ApiParameter Status = new("status", "The partnership's status.", ApiParameterKind.Text, Names<PartnershipStatus>());

    public static readonly ApiParameter Plan = new("plan", "The plan of the partnership, by its id.", ApiParameterKind.Identifier);

    public static readonly ApiParameter Provider = new("provider", "The provider of the partnership, by its id.", ApiParameterKind.Identifier);

    private static List<string> Names<TEnum>() where TEnum : struct, Enum => [.. Enum.GetNames<TEnum>()];
}

/// <summary>The parameters an endpoint takes (endpoint metadata: the OpenAPI document lists them).</summary>
public sealed record ApiParametersMetadata(IReadOnlyList<ApiParameter> Parameters);

/// <summary>What an API request asks for, read from its query string (a filter the endpoint does not take is empty).</summary>
public sealed record ApiRequest(Paging Paging, string? Cycle, ApiOrganizationFilter Organizations, ApiPartnershipFilter Partnerships);

/// <summary>
/// Reads an API request's query string: only the endpoint's own parameters, each given once, each value of its form.
/// Every problem found is kept with its parameter's name, so one answer (400, problem details) names them all.
/// </summary>
public sealed class ApiQuery
{
    private readonly IQueryCollection _query;
    private readonly IReadOnlyList<ApiParameter> _parameters;
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    private ApiQuery(IQueryCollection query, IReadOnlyList<ApiParameter> parameters)
    {
        _query = query;
        _parameters = parameters;
        foreach (var (name, values) in query)
        {
            var known = parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                Add(name, $"This endpoint has no parameter \u201c{name}\u201d. It takes: {string.Join(", ", parameters.Select(p => p.Name))}.");
            }
            else if (values.Count > 1)
            {
                Add(known.Name, $"Give {known.Name} once.");
            }
        }

        var county = County();
        Request = new ApiRequest(
            Paging(),
            Cycle(),
            new ApiOrganizationFilter(Choice<OrganizationKind>(ApiParameters.Kind), Choice<PlanModel>(ApiParameters.PlanModel), county, Id(ApiParameters.Organization)),
            new ApiPartnershipFilter(Choice<PartnershipStatus>(ApiParameters.Status), county, Id(ApiParameters.Plan), Id(ApiParameters.Provider)));
    }

    /// <summary>Reads the query string of <paramref name="request"/> for an endpoint that takes <paramref name="parameters"/>.</summary>
    public static ApiQuery Read(HttpRequest request, IReadOnlyList<ApiParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ApiQuery(request.Query, parameters);
    }

    /// <summary>What the request asks for; read <see cref="IsValid"/> first.</summary>
    public ApiRequest Request { get; }

    public bool IsValid => _errors.Count == 0;

    /// <summary>400 with every parameter's problem (RFC 9457 validation problem details).</summary>
    public IResult Problem() => ApiProblems.InvalidParameters(_errors);

    private Paging Paging()
    {
        var page = Integer(ApiParameters.Page, 1, 1, Api.Paging.MaxPage);
        var size = Integer(ApiParameters.PageSize, Api.Paging.DefaultPageSize, 1, Api.Paging.MaxPageSize);
        return new Paging(page, size);
    }

    /// <summary>The cycle as the portal writes it ("fy2026-27" reads as "FY 2026-27"); null when not given.</summary>
    private string? Cycle()
    {
        var text = Value(ApiParameters.Cycle);
        if (text is null)
        {
            return null;
        }

        if (!ReportingCycle.TryParse(text, out var cycle, out var problem))
        {
            Add(ApiParameters.Cycle.Name, problem);
            return null;
        }

        return cycle.Label;
    }

    private TEnum? Choice<TEnum>(ApiParameter parameter) where TEnum : struct, Enum
    {
        var text = Value(parameter);
        if (text is null)
        {
            return null;
        }

        var match = parameter.Values?.FirstOrDefault(v => string.Equals(v, text, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Add(parameter.Name, $"\u201c{text}\u201d is not a {parameter.Name}. Use one of: {string.Join(", ", parameter.Values ?? [])}.");
            return null;
        }

        return Enum.Parse<TEnum>(match);
    }

    /// <summary>A county's FIPS code, from its name or code.</summary>
    private string? County()
    {
        var text = Value(ApiParameters.County);
        if (text is null)
        {
            return null;
        }

        var county = CaliforniaCounties.ByFips(text) ?? CaliforniaCounties.ByName(text);
        if (county is null)
        {
            Add(ApiParameters.County.Name, $"\u201c{text}\u201d is not a California county. Give its name (Alameda) or its FIPS code (06001).");
        }

        return county?.Fips;
    }

    private Guid? Id(ApiParameter parameter)
    {
        var text = Value(parameter);
        if (text is null)
        {
            return null;
        }

        if (!Guid.TryParse(text, out var id))
        {
            Add(parameter.Name, $"{parameter.Name} is an id such as 3f2b8c1e-5d4a-4e7b-9c2d-1a0b9e8f7d6c.");
            return null;
        }

        return id;
    }

    /// <summary>The address of the page after <paramref name="page"/>, with the same parameters; null on the last page.</summary>
    public static string? NextPage(HttpRequest request, Paging paging, int total)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((long)paging.Page * paging.PageSize >= total)
        {
            return null;
        }

        var parameters = request.Query
            .Where(q => !string.Equals(q.Key, ApiParameters.Page.Name, StringComparison.OrdinalIgnoreCase))
            .Select(q => KeyValuePair.Create(q.Key, (string?)q.Value.ToString()))
            .Append(KeyValuePair.Create(ApiParameters.Page.Name, (string?)(paging.Page + 1).ToString(CultureInfo.InvariantCulture)));
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{QueryString.Create(parameters)}";
    }

    private int Integer(ApiParameter parameter, int fallback, int least, int most)
    {
        var text = Value(parameter);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < least || value > most)
        {
            Add(parameter.Name, $"{parameter.Name} is a whole number from {least} to {most.ToString("N0", CultureInfo.InvariantCulture)}.");
            return fallback;
        }

        return value;
    }

    /// <summary>The parameter's one value, trimmed; null when absent, blank, not the endpoint's, or repeated (refused already).</summary>
    private string? Value(ApiParameter parameter)
    {
        if (!_parameters.Contains(parameter))
        {
            return null;
        }

        var values = _query.TryGetValue(parameter.Name, out var given) ? given : StringValues.Empty;
        var text = values.Count == 1 ? values[0]?.Trim() : null;
        return string.IsNullOrEmpty(text) ? null : text;
    }

    private void Add(string name, string message) =>
        _errors[name] = _errors.TryGetValue(name, out var earlier) ? [.. earlier, message] : [message];
}

/// <summary>The API's error answers, as problem details (RFC 9457, <c>application/problem+json</c>).</summary>
public static class ApiProblems
{
    public static IResult InvalidParameters(IReadOnlyDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return TypedResults.ValidationProblem(errors, detail: string.Join(" ", errors.SelectMany(e => e.Value)), title: "A parameter is not valid.");
    }

    public static Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        return TypedResults.Problem(detail: detail, statusCode: status, title: title).ExecuteAsync(context);
    }
}
