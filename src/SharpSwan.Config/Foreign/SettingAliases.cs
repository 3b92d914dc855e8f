using System.Collections.Immutable;

namespace SharpSwan.Config;

/// <summary>
/// Spellings of older FortiOS versions that mean what a current setting means: read as the current one, with a
/// warning, so a configuration saved years ago loads as it is. Applied before the field is looked up, in the file and
/// in the editors alike; the model and the saved file carry only the current spelling.
/// </summary>
internal static class SettingAliases
{
    private static readonly string[] Phase1Tables = [Phase1Schema.InterfacePath, Phase1Schema.PolicyPath];

    /// <summary>
    /// (tables, field, old value or null for any, current field, current value or null to keep it, where the old one comes from).
    /// </summary>
    private static readonly (string[] Tables, string Field, string? Value, string NewField, string? NewValue, string Origin)[] All =
    [
        (Phase1Tables, "dpd", "enable", "dpd", "on-demand", "FortiOS 5.2 and older"),
        (Phase1Tables, "authmethod", "rsa-signature", "authmethod", "signature", "FortiOS 5.0 and older"),
        (Phase1Tables, "rsa-certificate", null, "certificate", null, "FortiOS 5.0 and older"),
        ([FirewallPolicySchema.Path], "action", "allow", "action", "accept", "FortiOS 6.2.0 to 6.4.0"),
    ];

    /// <summary>The command with the current spelling (or unchanged), and a warning when it was converted.</summary>
    public static ImmutableArray<ConfigToken> Apply(string table, ImmutableArray<ConfigToken> words, DiagnosticBag diagnostics)
    {
        if (words.Length < 3 || words[0].Text is not ("set" or "append"))
        {
            return words;
        }

        foreach (var (tables, field, value, newField, newValue, origin) in All)
        {
            var matches = tables.Contains(table, StringComparer.Ordinal)
                && words[1].Text == field
                && (value is null || (words.Length == 3 && words[2].Text == value));
            if (!matches)
            {
                continue;
            }

            var converted = words.SetItem(1, words[1] with { Text = newField });
            if (newValue is not null)
            {
                converted = converted.SetItem(2, words[2] with { Text = newValue });
            }

            var before = value is null ? $"set {field}" : $"set {field} {value}";
            var after = newValue is null ? $"set {newField}" : $"set {newField} {newValue}";
            diagnostics.Warn(words[0].Line, WarningKind.ConvertedSetting, field, $"'{before}' is the {origin} spelling; read as '{after}'");
            return converted;
        }

        return words;
    }
}
