using System.Collections.Immutable;

namespace SharpSwan.Config;

/// <summary>
/// Turns the blocks of tables outside the schema into <see cref="KeptTable"/>s: one warning per block, secrets held
/// encrypted, and a refusal where a kept table says something that changes what the whole file means.
/// </summary>
internal static class KeptTableBuilder
{
    /// <summary>Field names that hold a secret in FortiOS tables (besides names ending in -password/-passwd/-secret).</summary>
    private static readonly HashSet<string> SecretFields = new(StringComparer.Ordinal)
    {
        "password", "passwd", "psksecret", "secret", "key", "md5-key", "auth-key", "authentication-key", "api-key", "private-key",
    };

    /// <param name="acted">Blocks whose every entry SharpSwan acts on (tunnel interfaces): kept without the warning.</param>
    public static ImmutableArray<KeptTable> Build(RawDocument document, DiagnosticBag diagnostics, IReadOnlySet<RawKeptTable>? acted = null)
    {
        var tables = ImmutableArray.CreateBuilder<KeptTable>();
        foreach (var raw in document.KeptTables)
        {
            if (acted?.Contains(raw) != true)
            {
                diagnostics.Warn(raw.ConfigToken.Line, WarningKind.KeptTable, raw.Path, ForeignTables.KeptMessage(raw.Path));
            }

            RefuseWhatChangesTheFile(raw, diagnostics);
            tables.Add(Convert(raw, diagnostics));
        }

        return tables.ToImmutable();
    }

    /// <summary>The block as the model keeps it (no warning: the editors convert the same block many times).</summary>
    public static KeptTable Convert(RawKeptTable raw, DiagnosticBag diagnostics) =>
        new(raw.Path, [.. raw.Lines.Select(l => ToLine(l.Depth, l.Words, diagnostics))], raw.ConfigToken.Line);

    /// <summary>
    /// Settings in a kept table that SharpSwan cannot honour by ignoring them: transparent mode makes the unit a bridge,
    /// which the rest of the file then assumes.
    /// </summary>
    private static void RefuseWhatChangesTheFile(RawKeptTable raw, DiagnosticBag diagnostics)
    {
        if (raw.Path != "system settings")
        {
            return;
        }

        foreach (var (_, words) in raw.Lines)
        {
            if (words is [{ Text: "set" }, { Text: "opmode" }, { Text: "transparent" } value])
            {
                diagnostics.ValueParseError(
                    "opmode",
                    value,
                    "transparent mode is not supported: SharpSwan is a routed gateway and does not bridge; put the tunnel in NAT/route mode (set opmode nat) with routes to the remote networks");
            }
        }
    }

    private static KeptLine ToLine(int depth, ImmutableArray<ConfigToken> words, DiagnosticBag diagnostics)
    {
        if (words is [{ Text: "set" }, var field, ..] && IsSecretField(field.Text) && words.Length > 2)
        {
            var values = words[2..];
            var text = $"set {Render(field)}";
            if (values is [{ Text: "ENC" }, var encoded] && Secret.IsOwnEncryption(encoded.Text))
            {
                if (Secret.TryParseEncoded(encoded.Text, diagnostics.Keyring, allowLineBreaks: true, out var secret, out _, out var error))
                {
                    return new KeptLine(depth, text, secret);
                }

                diagnostics.ValueParseError(field.Text, encoded with { Text = "****" }, $"{field.Text} {error}");
                return new KeptLine(depth, text + " " + string.Join(" ", values.Select(Render)));
            }

            if (values.Length == 1 && values[0].Text.Length > 0)
            {
                // A secret in clear: held as a secret so that show and the saved file carry it encrypted.
                return new KeptLine(depth, text, Secret.FromPlaintext(values[0].Text));
            }
        }

        return new KeptLine(depth, string.Join(" ", words.Select(Render)));
    }

    private static bool IsSecretField(string field) =>
        SecretFields.Contains(field)
        || field.EndsWith("-password", StringComparison.Ordinal)
        || field.EndsWith("-passwd", StringComparison.Ordinal)
        || field.EndsWith("-secret", StringComparison.Ordinal);

    /// <summary>A word as the file wrote it: quoted when it was quoted or could not be read back otherwise.</summary>
    private static string Render(ConfigToken token) =>
        token.Quoted ? ConfigurationWriter.Quote(token.Text) : Editing.EditableDocument.RenderValue(token.Text);
}
