using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using SharpSwan.Config.Editing;

namespace SharpSwan.Config.Import;

/// <summary>
/// Takes over what SharpSwan can of a FortiGate backup (<c>show full-configuration</c>, or a saved <c>.conf</c>): the
/// file is read into the editable document; entries the checker refuses are dropped one by one (with what depends on
/// them) until the rest is valid; secrets the FortiGate encrypted with its own key are left for the administrator to set
/// again. Nothing refused is half-taken: a tunnel is in the result whole, or named in the report with its reasons.
/// </summary>
public static partial class FortiGateImporter
{
    private const int MaximumRounds = 64;

    /// <param name="text">The FortiGate configuration text.</param>
    /// <param name="sourceName">Its file name, for line references.</param>
    /// <param name="keyring">Encrypts the secrets in the written configuration (the output file's key file).</param>
    public static ImportResult Import(string text, string sourceName, SecretKeyring keyring)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(keyring);
        text = RemoveTerminalNoise(text);
        var original = ConfigurationLoader.Parse(text, sourceName);
        var document = EditableDocument.FromText(text);
        var placeholders = ReplaceForeignSecrets(document, original.Errors);

        var refused = new List<ImportRefusal>();
        var seenReasons = new HashSet<string>(StringComparer.Ordinal);
        GatewayConfiguration? configuration = null;
        for (var round = 0; round < MaximumRounds && configuration is null; round++)
        {
            var check = CandidateCheck.Check(document);
            if (check.Errors.Count == 0)
            {
                configuration = check.Configuration;
                break;
            }

            if (!DropRefused(document, check.Errors, refused, seenReasons))
            {
                break;
            }
        }

        // Errors the document never saw (tables refused outright, grammar errors) are reported by their line.
        foreach (var error in original.Errors.Where(e => !seenReasons.Contains(e.Reason) && !e.Reason.Contains(Secret.ForeignMessage, StringComparison.Ordinal)))
        {
            refused.Add(new ImportRefusal($"line {error.Line}", $"{error.Message} ({error.Reason})"));
        }

        var output = configuration is null ? null : Render(configuration, placeholders, keyring);
        return new ImportResult(
            output,
            configuration is null ? [] : [.. configuration.Phase1.Select(p => p.Name)],
            [.. original.ConfigWarnings.Where(w => w.Kind is WarningKind.ConvertedSetting or WarningKind.LegacySecret)],
            [.. original.ConfigWarnings.Where(w => w.Kind is WarningKind.KeptTable or WarningKind.KeptSettings)],
            [.. refused],
            configuration is null ? [] : [.. placeholders.Values.Where(s => configuration.FindPhase1(s.Entry) is not null)],
            [.. original.ConfigWarnings.Where(w => w.Kind == WarningKind.WeakAlgorithm)]);
    }

    /// <summary>
    /// A FortiGate-encrypted <c>psksecret</c> becomes a random placeholder, so the tunnel is checked as a whole; the
    /// placeholder never reaches the written file (see <see cref="Render"/>).
    /// </summary>
    private static Dictionary<string, SecretToReEnter> ReplaceForeignSecrets(EditableDocument document, ImmutableArray<ConfigError> errors)
    {
        var placeholders = new Dictionary<string, SecretToReEnter>(StringComparer.Ordinal);
        if (!errors.Any(e => e.Reason.Contains(Secret.ForeignMessage, StringComparison.Ordinal)))
        {
            return placeholders;
        }

        foreach (var path in new[] { Phase1Schema.InterfacePath, Phase1Schema.PolicyPath })
        {
            foreach (var entry in document.Entries(path))
            {
                if (entry.Find("psksecret") is { Values: ["ENC", var value] }
                    && !Secret.TryParse(["ENC", value], SecretKeyring.Current, out _, out _, out var error)
                    && error == Secret.ForeignMessage)
                {
                    var placeholder = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
                    entry.Set("psksecret", [placeholder]);
                    placeholders[placeholder] = new SecretToReEnter(path, entry.Name, "psksecret");
                }
            }
        }

        return placeholders;
    }

    /// <summary>Drops what each error is about: its entry, its object setting, or its kept table. False when nothing could be dropped.</summary>
    private static bool DropRefused(EditableDocument document, IReadOnlyList<LocatedError> errors, List<ImportRefusal> refused, HashSet<string> seenReasons)
    {
        var dropped = false;
        foreach (var group in errors.GroupBy(e => (e.Origin?.Path, e.Origin?.Entry, Field: e.Origin?.Entry is "" ? e.Origin.Field : null)))
        {
            var (path, entry, field) = group.Key;
            var reasons = string.Join("; ", group.Select(e => e.Error.Reason).Distinct(StringComparer.Ordinal));
            foreach (var error in group)
            {
                seenReasons.Add(error.Error.Reason);
            }

            if (path is null)
            {
                continue;
            }

            if (!EditableDocument.IsSchemaTable(path))
            {
                dropped |= document.RemoveKept(path) > 0;
                refused.Add(new ImportRefusal($"config {path}", reasons));
            }
            else if (entry is null or "")
            {
                if (field is not null && document.Entries(path).FirstOrDefault() is { } objectEntry)
                {
                    objectEntry.Unset(field);
                    dropped = true;
                    refused.Add(new ImportRefusal($"config {path} > set {field}", reasons));
                }
            }
            else if (document.Remove(path, entry))
            {
                dropped = true;
                refused.Add(new ImportRefusal($"config {path} > edit \"{entry}\"", reasons));
            }
        }

        return dropped;
    }

    /// <summary>The configuration as <c>show</c> prints it, each placeholder secret replaced by a line saying to set it.</summary>
    private static string Render(GatewayConfiguration configuration, Dictionary<string, SecretToReEnter> placeholders, SecretKeyring keyring)
    {
        var text = ConfigurationWriter.Write(configuration, fullConfiguration: false, keyring);
        foreach (var (placeholder, secret) in placeholders)
        {
            var line = $"set {secret.Field} {Secret.FromPlaintext(placeholder).ToConfigString(keyring)}";
            text = text.Replace(line, $"# set {secret.Field} <encrypted by the FortiGate: set it again in clear text>", StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>A dump copied from a terminal: the prompt line and <c>--More--</c> pager marks are not configuration.</summary>
    private static string RemoveTerminalNoise(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')
            .Where(l => !PromptLine().IsMatch(l))
            .Select(l => MorePrompt().Replace(l, ""));
        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+( \([A-Za-z0-9_.-]+\))? [#$] ")]
    private static partial Regex PromptLine();

    [GeneratedRegex(@"--More--[\s\b]*")]
    private static partial Regex MorePrompt();
}
