using System.Globalization;

namespace PalliativeToolkit.Web.Features.Common;

/// <summary>How a field for a whole number reads what was typed or pasted into it (see WholeNumberField).</summary>
public static class WholeNumbers
{
    /// <summary>
    /// Nothing (no value), or a whole number with an optional sign; no separators ("1,5" is not fifteen), no decimals,
    /// no exponent. A number too big for an int is read as the largest (or smallest) there is, for a validator's range
    /// message. Anything else is not read (<c>Ok</c> false).
    /// </summary>
    public static (bool Ok, int? Number) Read(string? text)
    {
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            return (true, null);
        }

        var digits = trimmed.AsSpan(trimmed[0] is '+' or '-' ? 1 : 0);
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9'))
        {
            return (false, null);
        }

        return int.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? (true, number)
            : (true, trimmed.StartsWith('-') ? int.MinValue : int.MaxValue);
    }
}
