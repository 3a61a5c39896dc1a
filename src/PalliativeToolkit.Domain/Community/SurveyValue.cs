using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using PalliativeToolkit.Domain.Organizations;

namespace PalliativeToolkit.Domain.Community;

/// <summary>
/// An answer's value, whatever the kind of question: the choices picked, a number (a whole number, or a point of the
/// scale), a text, or a number per county (by FIPS code). Stored as compact JSON in one column, in a canonical form (choices
/// in the question's order, counties in FIPS order), so that two equal answers are equal text.
/// </summary>
public sealed record SurveyValue
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    [JsonPropertyName("c")]
    public IReadOnlyList<string> Choices { get; init; } = [];

    [JsonPropertyName("n")]
    public int? Number { get; init; }

    [JsonPropertyName("t")]
    public string? Text { get; init; }

    /// <summary>FIPS code → the number given for that county.</summary>
    [JsonPropertyName("g")]
    public IReadOnlyDictionary<string, int> Counties { get; init; } = new SortedDictionary<string, int>(StringComparer.Ordinal);

    [JsonIgnore]
    public bool IsEmpty => Choices.Count == 0 && Number is null && string.IsNullOrWhiteSpace(Text) && Counties.Count == 0;

    public static SurveyValue Choose(IEnumerable<string> choices) => new() { Choices = [.. choices] };

    public static SurveyValue Of(int number) => new() { Number = number };

    public static SurveyValue Write(string text) => new() { Text = text };

    public static SurveyValue Grid(IEnumerable<KeyValuePair<string, int>> counties) =>
        new() { Counties = new SortedDictionary<string, int>(counties.ToDictionary(c => c.Key, c => c.Value), StringComparer.Ordinal) };

    /// <summary>The canonical JSON kept in the database.</summary>
    public string Serialize()
    {
        var stored = new Stored(Choices.Count == 0 ? null : Choices, Number, string.IsNullOrWhiteSpace(Text) ? null : Text,
            Counties.Count == 0 ? null : new SortedDictionary<string, int>(Counties.ToDictionary(c => c.Key, c => c.Value), StringComparer.Ordinal));
        return JsonSerializer.Serialize(stored, Json);
    }

    public static SurveyValue? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        var stored = JsonSerializer.Deserialize<Stored>(json, Json);
        return stored is null ? null : new SurveyValue
        {
            Choices = stored.C ?? [],
            Number = stored.N,
            Text = stored.T,
            Counties = new SortedDictionary<string, int>(stored.G ?? [], StringComparer.Ordinal),
        };
    }

    /// <summary>The value as people read it: "Yes", "Home visits; Telehealth", "12", "Napa 2, Sonoma 3".</summary>
    public string Describe()
    {
        if (Choices.Count > 0)
        {
            return string.Join("; ", Choices);
        }

        if (Number is { } number)
        {
            return number.ToString("N0", CultureInfo.InvariantCulture);
        }

        if (!string.IsNullOrWhiteSpace(Text))
        {
            return Text;
        }

        return string.Join(", ", Counties.Select(c => (County: CaliforniaCounties.ByFips(c.Key)?.Name ?? c.Key, c.Value))
            .OrderBy(c => c.County, StringComparer.Ordinal).Select(c => $"{c.County} {c.Value.ToString("N0", CultureInfo.InvariantCulture)}"));
    }

    private sealed record Stored(
        [property: JsonPropertyName("c")] IReadOnlyList<string>? C,
        [property: JsonPropertyName("n")] int? N,
        [property: JsonPropertyName("t")] string? T,
        [property: JsonPropertyName("g")] SortedDictionary<string, int>? G);
}
