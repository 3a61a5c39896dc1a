using System.Globalization;

namespace PalliativeToolkit.Web.Features.Common;

/// <summary>How a field for a whole number reads what was typed or pasted into it (WholeNumberField, survey answers).</summary>
public static class WholeNumbers
{
    /// <summary>
    /// Nothing (no value), or a whole number with an optional sign, its thousands grouped by commas or not ("1,200" is
    /// 1200; "1,5" is not fifteen), no decimals, no exponent. A number too big for an int is read as the largest (or
    /// smallest) there is, for a validator's range message, and says so (<c>Overflow</c>). Anything else is not read
    /// (<c>Ok</c> false).
    /// </summary>
    public static (bool Ok, int? Number, bool Overflow) Read(string? text)
    {
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            return (true, null, false);
        }

        var signed = trimmed[0] is '+' or '-';
        var groups = trimmed[(signed ? 1 : 0)..].Split(',');
        // Without commas, any digits; with them, 1 to 3 digits and then groups of exactly 3.
        var wellFormed = groups.All(g => g.Length > 0 && !g.AsSpan().ContainsAnyExceptInRange('0', '9'))
            && (groups.Length == 1 || (groups[0].Length <= 3 && groups.Skip(1).All(g => g.Length == 3)));
        if (!wellFormed)
        {
            return (false, null, false);
        }

        var digits = (signed ? trimmed[..1] : string.Empty) + string.Concat(groups);
        return int.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? (true, number, false)
            : (true, trimmed.StartsWith('-') ? int.MinValue : int.MaxValue, true);
    }
}
