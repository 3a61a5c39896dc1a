using System.Globalization;
using System.Text;
using PalliativeToolkit.Domain.Common;
using Serilog.Core;
using Serilog.Events;

namespace PalliativeToolkit.Web.Infrastructure;

/// <summary>
/// Every text value of a log event is written on one line: line breaks, other control characters, Unicode line and
/// paragraph separators and invisible formatting (<see cref="HiddenCharacters.IsUnsafeInOutput"/>) become visible escapes (<c>\r</c>, <c>\n</c>, <c>\u202E</c>).
/// A value someone typed (a return address, a request path, an email address) can then never start a forged log line
/// or reorder what a reader sees. Runs last, after every other enricher.
/// </summary>
public sealed class LineSafeLogValues : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        // Most events need nothing: the properties are copied only when one of them changes.
        List<LogEventProperty>? escaped = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var safe = Escape(value);
            if (!ReferenceEquals(safe, value))
            {
                (escaped ??= []).Add(new LogEventProperty(name, safe));
            }
        }

        escaped?.ForEach(logEvent.AddOrUpdateProperty);
    }

    /// <summary>The value with its text escaped; the same instance when nothing needed it.</summary>
    public static LogEventPropertyValue Escape(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text } when NeedsEscape(text):
                return new ScalarValue(EscapeText(text));
            case ScalarValue { Value: Uri uri } when NeedsEscape(uri.OriginalString):
                return new ScalarValue(EscapeText(uri.OriginalString));
            case SequenceValue sequence:
                var items = sequence.Elements.Select(Escape).ToList();
                return items.SequenceEqual(sequence.Elements) ? value : new SequenceValue(items);
            case StructureValue structure:
                var properties = structure.Properties.Select(p => new LogEventProperty(p.Name, Escape(p.Value))).ToList();
                return properties.Select(p => p.Value).SequenceEqual(structure.Properties.Select(p => p.Value)) ? value : new StructureValue(properties, structure.TypeTag);
            case DictionaryValue dictionary:
                var entries = dictionary.Elements.Select(e => new KeyValuePair<ScalarValue, LogEventPropertyValue>((ScalarValue)Escape(e.Key), Escape(e.Value))).ToList();
                return entries.Zip(dictionary.Elements).All(p => ReferenceEquals(p.First.Key, p.Second.Key) && ReferenceEquals(p.First.Value, p.Second.Value))
                    ? value
                    : new DictionaryValue(entries);
            default:
                return value;
        }
    }

    private static bool NeedsEscape(string text) => text.Any(HiddenCharacters.IsUnsafeInOutput);

    private static string EscapeText(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '\r' => "\\r",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when HiddenCharacters.IsUnsafeInOutput(c) => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }
}
