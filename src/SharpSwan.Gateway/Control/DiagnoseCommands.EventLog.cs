using System.Globalization;
using SharpSwan.Cli.Grammar;
using SharpSwan.Gateway.Events;

namespace SharpSwan.Gateway.Control;

/// <summary>The event log: `execute log display` and `execute log filter ...`, kept per session as FortiOS does.</summary>
public sealed partial class DiagnoseCommands
{
    internal Task LogDisplayAsync(CommandCall call)
    {
        var query = QueryOf(Session(call));
        return call.Output.WriteAsync(Events is null ? "event log is not available\nCommand fail. Return code -1\n" : query.Display(Events.Records()));
    }

    internal Task LogFilterSettingAsync(CommandCall call) => call.Output.WriteAsync(LogFilterSetting(QueryOf(Session(call)), call.Words));

    private static VpnEventLogQuery QueryOf(ControlSession session)
    {
        if (!session.Items.TryGetValue(LogQueryKey, out var stored) || stored is not VpnEventLogQuery query)
        {
            query = new VpnEventLogQuery();
            session.Items[LogQueryKey] = query;
        }

        return query;
    }

    /// <summary>`execute log filter &lt;setting&gt; [&lt;values&gt;]` (the words are the whole line).</summary>
    private static string LogFilterSetting(VpnEventLogQuery query, IReadOnlyList<string> words)
    {
        if (words.Count < 4)
        {
            return ParseError(words[2]);
        }

        var setting = words[3];
        var values = words.Skip(4).ToList();
        if (Keyword.Is(setting, "reset"))
        {
            query.Reset();
            return string.Empty;
        }

        if (Keyword.Is(setting, "dump"))
        {
            return query.Dump();
        }

        if (Keyword.Is(setting, "category") && values.Count == 1)
        {
            if (values[0] == "event")
            {
                query.Category = VpnEventLogQuery.EventCategory;
                return string.Empty;
            }

            if (int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var category))
            {
                query.Category = category;
                return string.Empty;
            }

            return ParseError(values[0]);
        }

        if (Keyword.Is(setting, "field") && values.Count >= 1)
        {
            if (values.Count == 1)
            {
                query.Fields.Remove(values[0]);
            }
            else
            {
                query.Fields[values[0]] = values.Skip(1).ToArray();
            }

            return string.Empty;
        }

        if ((Keyword.Is(setting, "view-lines") || Keyword.Is(setting, "start-line")) && values.Count == 1
            && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            if (Keyword.Is(setting, "view-lines") && number is >= 5 and <= 1000)
            {
                query.ViewLines = number;
                return string.Empty;
            }

            if (Keyword.Is(setting, "start-line") && number >= 1)
            {
                query.StartLine = number;
                return string.Empty;
            }
        }

        return ParseError(values.Count > 0 ? values[^1] : setting);
    }
}
