using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SharpSwan.Config;
using SharpSwan.Config.Editing;
using SharpSwan.Gateway.Control;

namespace SharpSwan.Web.Cmdb;

/// <summary>The REST <c>cmdb</c> operations on one table, in FortiOS's JSON shapes, through <see cref="ConfigurationEditor"/>.</summary>
internal sealed partial class CmdbService(ConfigurationEditor editor)
{
    public GatewayConfiguration Current => editor.Current;

    /// <summary>Every row with every field (defaults included), as FortiOS's GET returns them.</summary>
    public List<JsonObject> List(CmdbTable table)
    {
        return [.. EditableDocument.FromConfiguration(editor.Current, fullConfiguration: true).Entries(table.ConfigPath).Select(row => ToJson(table, row))];
    }

    public JsonObject? Get(CmdbTable table, string mkey) =>
        EditableDocument.FromConfiguration(editor.Current, fullConfiguration: true).Find(table.ConfigPath, mkey) is { } row ? ToJson(table, row) : null;

    public async Task<EditResult> CreateAsync(CmdbTable table, JsonObject body, ChangeAuthor author, CancellationToken cancellation)
    {
        if (table.IsTunnelInterfaces)
        {
            return await CreateTunnelInterfaceAsync(table, body, author, cancellation);
        }

        string? key = null;
        var result = await editor.EditAsync(
            document =>
            {
                if (KeyOf(table, body[table.KeyField], out var error) is not { } wanted)
                {
                    return error;
                }

                key = wanted.Length == 0 ? NextFreeId(document.Entries(table.ConfigPath)) : wanted;
                if (document.Find(table.ConfigPath, key) is not null)
                {
                    return EditResult.Duplicate($"{table.ApiName} {key}");
                }

                return ApplyFields(table, document.Add(table.ConfigPath, key), body);
            },
            null,
            author,
            cancellation);
        return result with { MKey = key };
    }

    public async Task<EditResult> UpdateAsync(CmdbTable table, string mkey, JsonObject body, ChangeAuthor author, CancellationToken cancellation)
    {
        if (table.IsTunnelInterfaces)
        {
            return await UpdateTunnelInterfaceAsync(table, mkey, body, author, cancellation);
        }

        var key = mkey;
        var result = await editor.EditAsync(
            document =>
            {
                if (document.Find(table.ConfigPath, mkey) is null)
                {
                    return EditResult.NotFound($"{table.ApiName} {mkey}");
                }

                if (body[table.KeyField] is { } renamed)
                {
                    if (KeyOf(table, renamed, out var error) is not { Length: > 0 } newName)
                    {
                        return error ?? EditResult.Invalid($"{table.KeyField} must not be empty");
                    }

                    if (newName != mkey && document.Find(table.ConfigPath, newName) is not null)
                    {
                        return EditResult.Duplicate($"{table.ApiName} {newName}");
                    }

                    if (newName != mkey && KeptInterfaceInUse(table, document, mkey, "renamed") is { } inUse)
                    {
                        return inUse;
                    }

                    document.Rename(table.ConfigPath, mkey, newName);
                    key = newName;
                }

                return ApplyFields(table, document.Find(table.ConfigPath, key)!, body);
            },
            mkey,
            author,
            cancellation);
        return result with { MKey = key };
    }

    public Task<EditResult> DeleteAsync(CmdbTable table, string mkey, ChangeAuthor author, CancellationToken cancellation) =>
        editor.EditAsync(
            document => table.IsTunnelInterfaces && TunnelInterfaceEdits.EntryError(document, mkey) is { } refused
                ? Refused(table, mkey, "name", refused)
                : KeptInterfaceInUse(table, document, mkey, "deleted") is { } inUse ? inUse
                : document.Remove(table.ConfigPath, mkey) ? null : EditResult.NotFound($"{table.ApiName} {mkey}"),
            mkey,
            author,
            cancellation);

    /// <summary>A phase1-interface whose system interface entry would be left behind, refused as the CLI refuses it.</summary>
    private static EditResult? KeptInterfaceInUse(CmdbTable table, EditableDocument document, string mkey, string verb) =>
        table == CmdbTable.Phase1Interface && TunnelInterfaceEdits.InUseError(document, [mkey], verb) is { } inUse
            ? Refused(table, mkey, table.KeyField, inUse)
            : null;

    /// <summary>Sets each JSON field on the row: null unsets, the masked key keeps, anything else is checked by the parser.</summary>
    internal static EditResult? ApplyFields(CmdbTable table, EditableEntry row, JsonObject body)
    {
        foreach (var (field, value) in body)
        {
            if (field == table.KeyField || field.StartsWith("q_", StringComparison.Ordinal))
            {
                continue;
            }

            if (!IsFieldName(field))
            {
                return new EditResult(
                    EditStatus.Invalid,
                    -61,
                    $"command parse error before '{field}'",
                    [new FieldError(table.ConfigPath, row.Name, field, $"command parse error before '{field}'", "not a field name", $"command parse error before '{field}'\nCommand fail. Return code -61", -61)]);
            }

            var raw = FortiValues.ToCli(field, value, out var error);
            if (error is not null)
            {
                return new EditResult(
                    EditStatus.Invalid,
                    -651,
                    error,
                    [new FieldError(table.ConfigPath, row.Name, field, $"value parse error before '{field}'", error, $"value parse error before '{field}'\nCommand fail. Return code -651", -651)]);
            }

            if (raw is null)
            {
                row.Unset(field);
            }
            else if (raw != FortiValues.Keep)
            {
                row.SetRaw(field, raw);
            }
        }

        return null;
    }

    private static JsonObject ToJson(CmdbTable table, EditableEntry row)
    {
        JsonNode key = table.Numbered && long.TryParse(row.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? JsonValue.Create(id)
            : JsonValue.Create(row.Name);
        var result = new JsonObject { [table.KeyField] = key, ["q_origin_key"] = key.DeepClone() };
        foreach (var setting in row.Settings)
        {
            result[setting.Field] = FortiValues.ToJson(setting.Field, EditableDocument.RenderValues(setting.Values));
        }

        return result;
    }

    /// <summary>The row key from JSON; "" asks for the next free id (numbered tables); null with an error when unusable.</summary>
    internal static string? KeyOf(CmdbTable table, JsonNode? node, out EditResult? error)
    {
        error = null;
        var text = node is JsonValue value && value.GetValueKind() is JsonValueKind.String or JsonValueKind.Number
            ? (value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString())
            : null;
        if (table.Numbered)
        {
            if (text is null or "" or "0")
            {
                return "";
            }

            if (!uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number == 0)
            {
                error = EditResult.Invalid($"{table.KeyField} must be a positive number");
                return null;
            }

            return number.ToString(CultureInfo.InvariantCulture);
        }

        if (string.IsNullOrEmpty(text))
        {
            error = new EditResult(EditStatus.Invalid, -56, $"Attribute '{table.KeyField}' MUST be set.", []);
            return null;
        }

        if (text.Any(char.IsControl))
        {
            error = EditResult.Invalid($"{table.KeyField} must not contain control characters");
            return null;
        }

        return text;
    }

    private static string NextFreeId(IReadOnlyList<EditableEntry> rows)
    {
        var used = rows.Select(r => long.TryParse(r.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0);
        return (used.DefaultIfEmpty(0).Max() + 1).ToString(CultureInfo.InvariantCulture);
    }

    private static bool IsFieldName(string field) =>
        field.Length is > 0 and <= 64 && char.IsAsciiLetterLower(field[0]) && field.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');
}
