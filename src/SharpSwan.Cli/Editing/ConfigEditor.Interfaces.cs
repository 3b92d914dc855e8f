using System.Collections.Immutable;
using System.Text;
using SharpSwan.Config.Editing;
using SharpSwan.Config;

namespace SharpSwan.Cli.Editing;

/// <summary>
/// <c>config system interface</c>: the table is kept as the file wrote it (physical ports carry settings SharpSwan does
/// not manage), so the CLI edits only the entries named after a phase1-interface, and only the fields the tunnel
/// interface reader applies or accepts as restating what SharpSwan does.
/// </summary>
public sealed partial class ConfigEditor
{
    private static bool IsTunnelTable(TableSchema table) => table.Path == SupportedTables.TunnelInterfaces.Path;

    private static string KeptAsWritten(string name) =>
        $"the entry \"{name}\" is kept as written: change it in the configuration file";

    /// <summary>Why <c>edit</c> or <c>delete</c> of <paramref name="name"/> in system interface is refused, or null.</summary>
    private static EditError? TunnelEntryError(EditableDocument working, string name)
    {
        if (working.Find(Phase1Schema.InterfacePath, name) is null)
        {
            return new EditError(
                $"entry \"{name}\" is not a phase1-interface: in config {SupportedTables.TunnelInterfaces.Path} SharpSwan manages only the tunnel interfaces of phase1-interfaces (their ip, remote-ip and mtu); {KeptAsWritten(name)}",
                EditError.NotFound);
        }

        if (working.Find(SupportedTables.TunnelInterfaces.Path, name)?.Find("type")?.Values is { } type && type is not ["tunnel"])
        {
            return new EditError(
                $"entry \"{name}\" is type {string.Join(" ", type)}, not tunnel: SharpSwan applies only a type tunnel entry to the phase1-interface's TUN device; {KeptAsWritten(name)}",
                EditError.ParseError);
        }

        return null;
    }

    /// <summary>A new tunnel entry as FortiOS creates it with its phase1-interface: root VDOM, type tunnel, its parent interface.</summary>
    private static EditableEntry NewTunnelEntry(EditableDocument working, string name)
    {
        var entry = new EditableEntry(name);
        entry.Set("vdom", ["root"]);
        entry.Set("type", ["tunnel"]);
        if (working.Find(Phase1Schema.InterfacePath, name)?.Find("interface")?.Values is [{ Length: > 0 } parent])
        {
            entry.Set("interface", [parent]);
        }

        return entry;
    }

    /// <summary>Type must stay tunnel: another type would leave the entry kept but no longer applied.</summary>
    private static EditError? TunnelFieldError(string verb, string field, ImmutableArray<string> values) =>
        field == "type" && (verb == "unset" || values is not ["tunnel"])
            ? ParseError(values.IsEmpty ? field : values[0], $"type of a phase1-interface's entry is tunnel: with another type SharpSwan would no longer apply its ip, remote-ip and mtu")
            : null;

    /// <summary>
    /// Prints the reader's warnings about <paramref name="field"/> of the entry (mtu without mtu-override, a vdom other than
    /// root, ...): the value is kept as FortiOS has it, but the administrator must not take it as applied. mtu-override
    /// decides whether mtu is applied, so its warning comes with either.
    /// </summary>
    private static void NotApplied(EditableDocument working, TableSchema table, string name, string field, StringBuilder answer)
    {
        foreach (var located in CandidateCheck.Check(working).Warnings)
        {
            if (located.Origin is { } o && o.Path == table.Path && o.Entry == name && (o.Field == field || (field == "mtu-override" && o.Field == "mtu")))
            {
                answer.Append("warning: ").Append(located.Warning.Message).Append('\n');
            }
        }
    }

    /// <summary>Table commands that would change entries SharpSwan does not manage, or a tunnel's name.</summary>
    private static List<EditError> NotInTunnelTable(string verb) =>
    [
        ParseError(verb, $"{verb} is not available in config {SupportedTables.TunnelInterfaces.Path}: the table is kept as written and SharpSwan edits only the tunnel entries of phase1-interfaces (edit, set, unset, delete); a tunnel interface is named after its phase1-interface"),
    ];
}
