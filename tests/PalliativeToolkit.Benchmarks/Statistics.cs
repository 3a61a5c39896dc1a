using System.Globalization;

namespace PalliativeToolkit.Benchmarks;

/// <summary>Percentiles of measured times, and how the report writes times and ratios.</summary>
internal static class Statistics
{
    /// <summary>
    /// The nearest-rank percentile of <paramref name="sorted"/> (ascending): the smallest value that at least
    /// <paramref name="percent"/> % of the values do not exceed. p50 of an even count is the lower middle value.
    /// </summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            throw new ArgumentException("No values to take a percentile of.", nameof(sorted));
        }

        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    /// <summary>The median: the middle value, or the mean of the two middle values of an even count.</summary>
    public static double Median(IReadOnlyList<double> sorted)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            throw new ArgumentException("No values to take the median of.", nameof(sorted));
        }

        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static string Milliseconds(double milliseconds) => Invariant($"{milliseconds:0.00} ms");

    /// <summary>"2.3×", or "n/a" when the base is zero.</summary>
    public static string Ratio(double value, double of) => of <= 0 ? "n/a" : Invariant($"{value / of:0.00}×");

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
