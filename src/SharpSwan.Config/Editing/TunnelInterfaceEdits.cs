using System.Collections.Immutable;

namespace SharpSwan.Config.Editing;

/// <summary>
/// What every editor (CLI, REST API, web GUI) may change in <c>config system interface</c>. The table is kept as the file
/// wrote it (physical ports carry settings SharpSwan does not manage), so only the entries named after a
/// phase1-interface are edited, and only the fields the tunnel interface reader applies or accepts as restating what
/// SharpSwan does. One place for each rule, so that no editor can write what another would refuse.
/// </summary>
public static class TunnelInterfaceEdits
{
    public const string Path = TunnelInterfaceReader.Path;

    /// <summary>The type a phase1-interface's entry has, and must keep.</summary>
    public const string TunnelType = "tunnel";

    private static string KeptAsWritten(string name) =>
        $"the entry \"{name}\" is kept as written: change it in the configuration file";

    /// <summary>Why creating, changing or deleting entry <paramref name="name"/> is refused, or null when it may be edited.</summary>
    public static EditError? EntryError(EditableDocument document, string name)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.Find(Phase1Schema.InterfacePath, name) is null)
        {
            return new EditError(
                $"entry \"{name}\" is not a phase1-interface: in config {Path} SharpSwan manages only the tunnel interfaces of phase1-interfaces (their ip, remote-ip and mtu); {KeptAsWritten(name)}",
                EditError.NotFound);
        }

        if (document.Find(Path, name)?.Find("type")?.Values is { } type && type is not [TunnelType])
        {
            return new EditError(
                $"entry \"{name}\" is type {string.Join(" ", type)}, not tunnel: SharpSwan applies only a type tunnel entry to the phase1-interface's TUN device; {KeptAsWritten(name)}",
                EditError.ParseError);
        }

        return null;
    }

    /// <summary>A new tunnel entry as FortiOS creates it with its phase1-interface: root VDOM, type tunnel, its parent interface.</summary>
    public static EditableEntry NewEntry(EditableDocument document, string name)
    {
        ArgumentNullException.ThrowIfNull(document);
        var entry = new EditableEntry(name);
        entry.Set("vdom", ["root"]);
        entry.Set("type", [TunnelType]);
        if (document.Find(Phase1Schema.InterfacePath, name)?.Find("interface")?.Values is [{ Length: > 0 } parent])
        {
            entry.Set("interface", [parent]);
        }

        return entry;
    }

    /// <summary>
    /// Why setting <paramref name="field"/> to <paramref name="values"/> (empty: unsetting it) is refused, or null. A field
    /// the reader does not know would be kept but never applied; another type than tunnel would leave the whole entry
    /// kept but no longer applied.
    /// </summary>
    public static EditError? FieldError(string field, ImmutableArray<string> values)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (TunnelInterfaceReader.RejectField(field) is { } unknown)
        {
            return ParseError(field, unknown);
        }

        return field == "type" && values is not [TunnelType]
            ? ParseError(values.IsDefaultOrEmpty ? field : values[0], "type of a phase1-interface's entry is tunnel: with another type SharpSwan would no longer apply its ip, remote-ip and mtu")
            : null;
    }

    /// <summary>
    /// The reader's warnings about <paramref name="field"/> of entry <paramref name="name"/> (mtu without mtu-override, a
    /// vdom other than root, ...): the value is kept as FortiOS has it, but the administrator must not take it as applied.
    /// mtu-override decides whether mtu is applied, so its warning comes with either.
    /// </summary>
    public static IReadOnlyList<string> NotApplied(EditableDocument document, string name, string field)
    {
        ArgumentNullException.ThrowIfNull(document);
        return [.. EntryWarning.Of(document, [name])
            .Where(w => w.Path == Path && (w.Field == field || (field == "mtu-override" && w.Field == "mtu")))
            .Select(w => w.Message)];
    }

    /// <summary>
    /// Why deleting or renaming (<paramref name="verb"/>: "deleted", "renamed") the phase1-interfaces
    /// <paramref name="names"/> is refused while their tunnel addresses and MTU are in an entry of this table, or null.
    /// Left behind, the entry would give a later phase1-interface of that name its addresses, or the renamed tunnel would
    /// come up without them. The administrator deletes that entry first.
    /// </summary>
    public static EditError? InUseError(EditableDocument document, IReadOnlyCollection<string> names, string verb)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(names);
        var configuration = CandidateCheck.Check(document).Configuration;
        var kept = names.Where(n => configuration.FindTunnelInterface(n) is not null).ToList();
        if (kept.Count == 0)
        {
            return null;
        }

        var interfaces = SupportedTables.TunnelInterfaces;
        var list = string.Join(", ", kept.Select(n => $"{Path} {EditableDocument.RenderName(interfaces, n)}"));
        var deletes = string.Join(", ", kept.Select(n => $"delete {EditableDocument.RenderName(interfaces, n)}"));
        var then = verb == "renamed"
            ? $"then rename the phase1-interface and give the new name its ip, remote-ip and mtu in config {Path}"
            : "then delete the phase1-interface";
        return new EditError(
            $"entry is used by {kept.Count} other entr{(kept.Count == 1 ? "y" : "ies")}: {list} (the tunnel's ip, remote-ip and mtu), so it cannot be {verb} alone: delete that entry first (config {Path}, {deletes}, end), {then}",
            EditError.InUse);
    }

    /// <summary>
    /// Why <paramref name="verb"/> (rename, clone, move, purge) is refused in the table: it would change entries SharpSwan
    /// does not manage, or give a tunnel interface another name than its phase1-interface's.
    /// </summary>
    public static EditError CommandError(string verb) =>
        ParseError(verb, $"{verb} is not available in config {Path}: the table is kept as written and SharpSwan edits only the tunnel entries of phase1-interfaces (edit, set, unset, delete); a tunnel interface is named after its phase1-interface");

    private static EditError ParseError(string word, string reason) =>
        new($"command parse error before '{word}'\n{reason}", EditError.ParseError);
}
