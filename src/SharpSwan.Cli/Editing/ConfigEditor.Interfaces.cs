using System.Text;
using SharpSwan.Config.Editing;
using SharpSwan.Config;

namespace SharpSwan.Cli.Editing;

/// <summary>
/// <c>config system interface</c>: the CLI edits only the entries named after a phase1-interface, under the rules every
/// editor shares (<see cref="TunnelInterfaceEdits"/>); here only what is the CLI's own.
/// </summary>
public sealed partial class ConfigEditor
{
    private static bool IsTunnelTable(TableSchema table) => table.Path == SupportedTables.TunnelInterfaces.Path;

    /// <summary>Prints the reader's warnings about <paramref name="field"/> of the entry: kept, but not applied.</summary>
    private static void NotApplied(EditableDocument working, string name, string field, StringBuilder answer)
    {
        foreach (var warning in TunnelInterfaceEdits.NotApplied(working, name, field))
        {
            answer.Append("warning: ").Append(warning).Append('\n');
        }
    }

    /// <summary>Table commands that would change entries SharpSwan does not manage, or a tunnel's name.</summary>
    private static List<EditError> NotInTunnelTable(string verb) => [TunnelInterfaceEdits.CommandError(verb)];
}
