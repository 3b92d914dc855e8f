using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SharpSwan.Cli.Grammar;
using SharpSwan.Config.Editing;
using SharpSwan.Gateway.Control;

namespace SharpSwan.Web.Cmdb;

/// <summary>
/// <c>cmdb/system/interface</c>: the kept table, changed only in a phase1-interface's tunnel entry and only under the
/// rules the CLI applies (<see cref="TunnelInterfaceEdits"/>); the lines of every other entry stay as the file wrote them.
/// </summary>
internal sealed partial class CmdbService
{
    /// <summary>Creates the tunnel entry of a phase1-interface that has none yet: FortiOS's defaults, then the body.</summary>
    private async Task<EditResult> CreateTunnelInterfaceAsync(CmdbTable table, JsonObject body, ChangeAuthor author, CancellationToken cancellation)
    {
        string? key = null;
        var result = await editor.EditAsync(
            document =>
            {
                if (KeyOf(table, body[table.KeyField], out var error) is not { } name)
                {
                    return error;
                }

                key = name;
                if (TunnelInterfaceEdits.EntryError(document, name) is { } refused)
                {
                    return Refused(table, name, "name", refused);
                }

                if (document.Find(table.ConfigPath, name) is not null)
                {
                    return EditResult.Duplicate($"{table.ApiName} {name}");
                }

                return ApplyTunnelFields(table, document, TunnelInterfaceEdits.NewEntry(document, name), body, current: null);
            },
            null,
            author,
            cancellation);
        return result with { MKey = key };
    }

    /// <summary>Changes a phase1-interface's tunnel entry; its name is its phase1-interface's and does not change.</summary>
    private async Task<EditResult> UpdateTunnelInterfaceAsync(CmdbTable table, string mkey, JsonObject body, ChangeAuthor author, CancellationToken cancellation)
    {
        var result = await editor.EditAsync(
            document =>
            {
                if (TunnelInterfaceEdits.EntryError(document, mkey) is { } refused)
                {
                    return Refused(table, mkey, "name", refused);
                }

                if (document.Find(table.ConfigPath, mkey) is not { } current)
                {
                    return EditResult.NotFound($"{table.ApiName} {mkey}");
                }

                if (body[table.KeyField] is { } renamed && KeyOf(table, renamed, out _) is { } newName && newName != mkey)
                {
                    return Refused(table, mkey, table.KeyField, TunnelInterfaceEdits.CommandError("rename"));
                }

                return ApplyTunnelFields(table, document, current.Clone(), body, current);
            },
            mkey,
            author,
            cancellation);
        return result with { MKey = mkey };
    }

    /// <summary>
    /// Puts the body's fields on <paramref name="row"/> through the field rule, then the row into the kept table. A field
    /// sent back with the value it already has is no change, so a row read by GET can be sent back whole even when the
    /// file gave it settings the editors may not set.
    /// </summary>
    private static EditResult? ApplyTunnelFields(CmdbTable table, EditableDocument document, EditableEntry row, JsonObject body, EditableEntry? current)
    {
        var changed = new JsonObject();
        foreach (var (field, value) in body)
        {
            if (field == table.KeyField || field.StartsWith("q_", StringComparison.Ordinal))
            {
                continue;
            }

            var raw = FortiValues.ToCli(field, value, out var error);
            ImmutableArray<string> values = error is not null || raw is null || raw == FortiValues.Keep ? [] : [.. CliTokenizer.Words(raw, out _)];
            if (error is null && raw != FortiValues.Keep && current?.Find(field)?.Values is { } now && now.SequenceEqual(values))
            {
                continue;
            }

            if (TunnelInterfaceEdits.FieldError(field, values) is { } refused)
            {
                return Refused(table, row.Name, field, refused);
            }

            changed[field] = value?.DeepClone();
        }

        if (ApplyFields(table, row, changed) is { } invalid)
        {
            return invalid;
        }

        document.Put(table.ConfigPath, row);
        return null;
    }

    private static EditResult Refused(CmdbTable table, string row, string field, EditError error) =>
        EditResult.Refused(table.ConfigPath, row, field, error);
}
