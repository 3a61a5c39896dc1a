using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CsvHelper;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Community;

namespace PalliativeToolkit.Infrastructure.Community;

/// <summary>A file that is not an attendee report the portal can read; <see cref="Line"/> names where (when it can).</summary>
public sealed class AttendeeReportException : Exception
{
    public AttendeeReportException(string message, int? line = null)
        : base(line is { } at ? $"Line {at.ToString(CultureInfo.InvariantCulture)}: {message}" : message) => Line = line;

    public AttendeeReportException() { }

    public AttendeeReportException(string message, Exception innerException) : base(message, innerException) { }

    public AttendeeReportException(string message) : base(message) { }

    public int? Line { get; }
}

/// <summary>One attendee of the report: the rows of one address merged (the platforms write a row per join).</summary>
public sealed record ReportRow(int Line, string Name, string Email, int? Minutes, int Rows);

/// <summary>A line of the report that names nobody the portal can record, and why.</summary>
public sealed record ReportProblem(int Line, string Text, string Reason);

/// <summary>
/// A webinar platform's attendee report (a Zoom participant or webinar attendee report, a Teams attendance report, or a
/// spreadsheet of the same columns), read as CSV. The header row is found by its e-mail column, after any lines of
/// summary the platform writes above it (a report with several sections, such as Zoom's hosts, panelists and attendees,
/// starts again at each header; Teams' "In-Meeting Activities", every join and leave of the people its "Participants"
/// section already counted, is left out after that section). Column names are matched without regard to case, spaces or punctuation, with the usual
/// variants (Email, E-mail, User Email, Attendee Email; Name, Full Name, User Name (Original Name), or First and Last
/// Name; Join Time, Leave Time; Duration, Duration (Minutes), Time in Session (minutes), 1h 5m 3s or 01:05:03). The
/// delimiter is the header's (comma, semicolon or tab); the encoding is UTF-8, or UTF-16 with its byte-order mark as Teams
/// writes. A malformed file is refused whole, with its line.
/// </summary>
public sealed partial class AttendeeReport
{
    public const int MaxBytes = 2 * 1024 * 1024;
    public const int MaxRows = 5000;

    /// <summary>
    /// The longest anyone attends one event: a day. A row that gives more (a duration of 99999999999h, or a join and a
    /// leave years apart) is a mistake in the file, and the file is refused with its line; an attendee's rows are summed
    /// and the sum kept within the same day.
    /// </summary>
    public const int MaxMinutes = 24 * 60;

    /// <summary>How many lines of summary may stand above the first header row.</summary>
    public const int HeaderSearchLines = 40;

    private static readonly string[] EmailHeaders = ["email", "emailaddress", "useremail", "attendeeemail", "participantemail", "registrantemail", "mail", "upn", "participantidupn"];
    private static readonly string[] NameHeaders = ["name", "fullname", "nameoriginalname", "username", "usernameoriginalname", "displayname", "attendeename", "participant", "participantname"];
    private static readonly string[] FirstNameHeaders = ["firstname", "givenname"];
    private static readonly string[] LastNameHeaders = ["lastname", "surname", "familyname"];
    private static readonly string[] JoinHeaders = ["jointime", "firstjoin", "firstjointime", "joined", "join", "timejoined"];
    private static readonly string[] LeaveHeaders = ["leavetime", "lastleave", "lastleavetime", "left", "leave", "timeleft"];
    private static readonly string[] DurationHeaders = ["duration", "durationminutes", "timeinsessionminutes", "attendanceduration", "inmeetingduration", "minutes", "timeinsession", "totalduration"];
    private static readonly string[] AttendedHeaders = ["attended"];

    private AttendeeReport(IReadOnlyList<ReportRow> rows, IReadOnlyList<ReportProblem> skipped, string hash)
    {
        Rows = rows;
        Skipped = skipped;
        Hash = hash;
    }

    /// <summary>Each attendee once, in the order of their first line.</summary>
    public IReadOnlyList<ReportRow> Rows { get; }

    /// <summary>Lines that name nobody to record (no address, not an address, "Attended: No").</summary>
    public IReadOnlyList<ReportProblem> Skipped { get; }

    /// <summary>The SHA-256 of the file's bytes, lower-case hex.</summary>
    public string Hash { get; }

    public static string HashOf(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Reads a report, or refuses it with an <see cref="AttendeeReportException"/> that names the line.</summary>
    public static AttendeeReport Parse(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Length == 0)
        {
            throw new AttendeeReportException("The file is empty.");
        }

        if (content.Length > MaxBytes)
        {
            throw new AttendeeReportException($"The file is larger than {MaxBytes / 1024 / 1024} MB: an attendee report is much smaller. Export the attendee report as CSV and choose that file.");
        }

        var text = Decode(content);
        CheckText(text);
        var options = new CsvReaderOptions
        {
            HasHeader = false,
            Separator = DelimiterOf(text),
            Mode = CsvMode.Rfc4180,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            TrackLineNumbers = true,
            TrimWhitespace = true,
            SkipEmptyLines = true,
        };

        Columns? columns = null;
        var attendees = new List<(int Line, string Name, string Email, int? Minutes)>();
        var skipped = new List<ReportProblem>();
        var dataRows = 0;
        var participantsRead = false;
        var inActivities = false;
        try
        {
            using var reader = CsvReader.FromText(text, options);
            while (reader.Read())
            {
                var line = (int)reader.LineNumber;
                var record = reader.Current.ToArray().Select(c => c ?? string.Empty).ToArray();
                if (record.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }

                // Teams' sections: "2. Participants" lists each person once with their total, "3. In-Meeting Activities"
                // then every join and leave of the same people. Read after the participants, that section would count
                // everyone's time twice: it is read only in a file without a participants section.
                var title = IsSectionTitle(record) ? record.First(c => !string.IsNullOrWhiteSpace(c)).Trim() : null;
                if (title is not null)
                {
                    inActivities = participantsRead && ActivitiesTitle().IsMatch(title);
                    participantsRead |= ParticipantsTitle().IsMatch(title);
                }

                if (Columns.Of(record) is { } header)
                {
                    columns = header;
                    continue;
                }

                if (columns is null)
                {
                    if (line > HeaderSearchLines)
                    {
                        throw new AttendeeReportException(
                            $"no header row with an e-mail column in the first {HeaderSearchLines} lines. The report needs a column headed Email (or E-mail, User Email, Attendee Email).",
                            line);
                    }

                    continue;
                }

                // A section title between two tables (Zoom's "Attendee Details"): one cell, no address.
                if (title is not null || inActivities)
                {
                    continue;
                }

                if (++dataRows > MaxRows)
                {
                    throw new AttendeeReportException($"the report has more than {MaxRows} attendee rows; split it, or check that it is the right file.", line);
                }

                var email = columns.Email < record.Length ? record[columns.Email].Trim() : string.Empty;
                // A name is shown to reviewers and organizations: nothing in it may disguise it (a right-to-left override).
                var name = HiddenCharacters.StripFromLine(columns.NameOf(record)).Trim();
                var shown = name.Length > 0 ? name : email;
                if (columns.Attended is { } attended && attended < record.Length && record[attended].Trim().Equals("no", StringComparison.OrdinalIgnoreCase))
                {
                    skipped.Add(new ReportProblem(line, Shorten(shown), "did not attend (the report says Attended: No)"));
                    continue;
                }

                if (email.Length == 0)
                {
                    skipped.Add(new ReportProblem(line, Shorten(shown), "no e-mail address"));
                    continue;
                }

                if (AttendeeEmail.Normalize(email) is not { } normalized)
                {
                    skipped.Add(new ReportProblem(line, Shorten(shown), $"\"{Shorten(email)}\" is not an e-mail address"));
                    continue;
                }

                attendees.Add((line, name.Length > 0 ? Shorten(name, Limits.Name) : normalized[..normalized.IndexOf('@', StringComparison.Ordinal)], normalized, columns.MinutesOf(record, line)));
            }
        }
        catch (CsvFormatException ex)
        {
            throw new AttendeeReportException(
                "a quote is out of place (a field with a quote, comma or line break must be wrapped in double quotes, and a quote inside it doubled).",
                ex.LineNumber > 0 ? (int)ex.LineNumber : null);
        }

        if (columns is null)
        {
            throw new AttendeeReportException("no header row with an e-mail column. The report needs a column headed Email (or E-mail, User Email, Attendee Email).", 1);
        }

        var rows = attendees.GroupBy(a => a.Email, StringComparer.Ordinal)
            .Select(g => new ReportRow(g.First().Line, g.First().Name, g.Key, g.Any(a => a.Minutes is not null) ? (int)Math.Min(g.Sum(a => (long)(a.Minutes ?? 0)), MaxMinutes) : null, g.Count()))
            .OrderBy(r => r.Line).ToList();
        return new AttendeeReport(rows, skipped, HashOf(content));
    }

    private static bool IsSectionTitle(string[] record) =>
        record.Count(c => !string.IsNullOrWhiteSpace(c)) == 1 && !record.Any(c => c.Contains('@', StringComparison.Ordinal));

    [GeneratedRegex(@"^(\d+\.\s*)?participants$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ParticipantsTitle();

    [GeneratedRegex(@"^(\d+\.\s*)?in-?\s*meeting\s+activities$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ActivitiesTitle();

    private static string Shorten(string text, int length = 120) => text.Length <= length ? text : text[..length];

    /// <summary>UTF-16 with its byte-order mark, or UTF-8 (with or without one); bytes that are neither are not a CSV file.</summary>
    private static string Decode(byte[] content)
    {
        if (content.Length >= 2 && ((content[0] == 0xFF && content[1] == 0xFE) || (content[0] == 0xFE && content[1] == 0xFF)))
        {
            var unicode = content[0] == 0xFF ? new UnicodeEncoding(false, true, true) : new UnicodeEncoding(true, true, true);
            try
            {
                return unicode.GetString(content, 2, content.Length - 2);
            }
            catch (DecoderFallbackException)
            {
                throw new AttendeeReportException("this is not a CSV file: its text can't be read.");
            }
        }

        var start = content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF ? 3 : 0;
        try
        {
            return new UTF8Encoding(false, true).GetString(content, start, content.Length - start);
        }
        catch (DecoderFallbackException)
        {
            // A spreadsheet saved in Windows' own encoding (an accented name): read it as that, then check for binary.
            return Encoding.Latin1.GetString(content, start, content.Length - start);
        }
    }

    /// <summary>
    /// Refuses binary content (a spreadsheet or a PDF chosen by mistake) and a quoted field that is never closed, naming
    /// the line; CsvHelper reports the other quoting faults itself.
    /// </summary>
    private static void CheckText(string text)
    {
        var line = 1;
        var quoted = false;
        var quoteLine = 0;
        var atFieldStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
            }

            if (char.IsControl(c) && c is not '\r' and not '\n' and not '\t')
            {
                throw new AttendeeReportException("this is not a CSV file (it holds binary content). Export the attendee report as CSV and choose that file.", line);
            }

            if (c == '"')
            {
                if (!quoted && atFieldStart)
                {
                    quoted = true;
                    quoteLine = line;
                }
                else if (quoted && i + 1 < text.Length && text[i + 1] == '"')
                {
                    i++;
                }
                else if (quoted)
                {
                    quoted = false;
                }
            }

            atFieldStart = !quoted && (c is ',' or ';' or '\t' or '\n' || (c == ' ' && atFieldStart));
        }

        if (quoted)
        {
            throw new AttendeeReportException("a quoted field is never closed (a double quote opens it and none closes it).", quoteLine);
        }
    }

    /// <summary>The delimiter of the first line that names an e-mail column: the one of comma, semicolon and tab it uses most.</summary>
    private static char DelimiterOf(string text)
    {
        foreach (var line in text.Split('\n').Take(HeaderSearchLines))
        {
            var lower = line.ToLowerInvariant();
            if (lower.Contains("mail", StringComparison.Ordinal) || lower.Contains("upn", StringComparison.Ordinal))
            {
                var counts = new[] { (',', line.Count(c => c == ',')), (';', line.Count(c => c == ';')), ('\t', line.Count(c => c == '\t')) };
                var best = counts.OrderByDescending(c => c.Item2).First();
                if (best.Item2 > 0)
                {
                    return best.Item1;
                }
            }
        }

        return ',';
    }

    /// <summary>A header cell as compared: lower case, letters and digits only ("E-mail Address" → "emailaddress").</summary>
    internal static string Key(string header)
    {
        var builder = new StringBuilder(header.Length);
        foreach (var c in header.Trim().TrimStart('\uFEFF'))
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Minutes from a duration cell: "45", "45.5", "1h 5m 3s", "65 min", "01:05:03" or "05:03" (minutes and seconds);
    /// null when the cell is not a duration, or gives more than <see cref="MaxMinutes"/>.
    /// </summary>
    public static int? ParseMinutes(string? cell) => MinutesIn(cell) is { } minutes && minutes <= MaxMinutes ? (int)Math.Round(minutes) : null;

    /// <summary>The minutes a duration cell gives, however many (never rounded to an int here: a cell may give centuries).</summary>
    private static double? MinutesIn(string? cell)
    {
        var text = (cell ?? string.Empty).Trim().ToLowerInvariant();
        if (text.Length == 0)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain))
        {
            return double.IsNaN(plain) || plain < 0 ? null : plain;
        }

        if (ClockDuration().Match(text) is { Success: true } clock)
        {
            var first = double.Parse(clock.Groups[1].Value, CultureInfo.InvariantCulture);
            var second = double.Parse(clock.Groups[2].Value, CultureInfo.InvariantCulture);
            return clock.Groups[3].Success
                ? first * 60 + second + double.Parse(clock.Groups[3].Value, CultureInfo.InvariantCulture) / 60.0
                : first + second / 60.0;
        }

        if (WordDuration().Match(text) is { Success: true } words && words.Length > 0)
        {
            double Part(int group) => words.Groups[group].Success ? double.Parse(words.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
            var minutes = Part(1) * 60 + Part(2) + Part(3) / 60;
            return double.IsFinite(minutes) ? minutes : double.MaxValue;
        }

        return null;
    }

    /// <summary>Whole minutes of one row, or the file refused at <paramref name="line"/> when they are more than a day.</summary>
    private static int WithinADay(double minutes, string what, int line) => minutes <= MaxMinutes
        ? (int)Math.Round(minutes)
        : throw new AttendeeReportException(
            $"{what} is more than a day ({MaxMinutes / 60} hours): a row of an attendee report gives the time someone attended one event. Check the duration, join and leave columns of that row.",
            line);

    [GeneratedRegex(@"^(\d{1,3}):(\d{2})(?::(\d{2}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex ClockDuration();

    [GeneratedRegex(@"^(?:(\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hour|hours)\s*)?(?:(\d+(?:\.\d+)?)\s*(?:m|min|mins|minute|minutes)\s*)?(?:(\d+(?:\.\d+)?)\s*(?:s|sec|secs|second|seconds))?$", RegexOptions.CultureInvariant)]
    private static partial Regex WordDuration();

    /// <summary>Where the columns of the current table are.</summary>
    private sealed class Columns
    {
        public int Email { get; private init; }
        public int? Name { get; private init; }
        public int? FirstName { get; private init; }
        public int? LastName { get; private init; }
        public int? Join { get; private init; }
        public int? Leave { get; private init; }
        public int? Duration { get; private init; }
        public int? Attended { get; private init; }

        /// <summary>The columns of a header row, or null when the row is not one (it has no e-mail column, or holds an address).</summary>
        public static Columns? Of(string[] record)
        {
            if (record.Any(c => c.Contains('@', StringComparison.Ordinal)))
            {
                return null;
            }

            var keys = record.Select(Key).ToList();
            int? Find(string[] names) => keys.FindIndex(k => names.Contains(k)) is var index and >= 0 ? index : null;
            if (Find(EmailHeaders) is not { } email)
            {
                return null;
            }

            return new Columns
            {
                Email = email,
                Name = Find(NameHeaders),
                FirstName = Find(FirstNameHeaders),
                LastName = Find(LastNameHeaders),
                Join = Find(JoinHeaders),
                Leave = Find(LeaveHeaders),
                Duration = Find(DurationHeaders),
                Attended = Find(AttendedHeaders),
            };
        }

        private static string Cell(string[] record, int? index) => index is { } i && i < record.Length ? record[i].Trim() : string.Empty;

        public string NameOf(string[] record)
        {
            var name = Cell(record, Name);
            return name.Length > 0 ? name : $"{Cell(record, FirstName)} {Cell(record, LastName)}".Trim();
        }

        /// <summary>The row's minutes (its duration, else its leave less its join); a row of more than a day refuses the file.</summary>
        public int? MinutesOf(string[] record, int line)
        {
            var duration = Cell(record, Duration);
            if (MinutesIn(duration) is { } minutes)
            {
                return WithinADay(minutes, $"the duration \"{Shorten(duration, 40)}\"", line);
            }

            if (DateTime.TryParse(Cell(record, Join), CultureInfo.InvariantCulture, DateTimeStyles.None, out var joined)
                && DateTime.TryParse(Cell(record, Leave), CultureInfo.InvariantCulture, DateTimeStyles.None, out var left) && left >= joined)
            {
                return WithinADay((left - joined).TotalMinutes, "the time from joining to leaving", line);
            }

            return null;
        }
    }
}
