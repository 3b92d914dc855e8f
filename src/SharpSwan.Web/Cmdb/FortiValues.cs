using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SharpSwan.Cli.Grammar;
using SharpSwan.Config;

namespace SharpSwan.Web.Cmdb;

/// <summary>
/// Converts between FortiOS REST JSON values and CLI <c>set</c> values. FortiOS JSON writes lists as one space-separated
/// string (<c>"proposal": "aes128-sha256 aes256-sha256"</c>), numbers as numbers and names as strings.
/// </summary>
internal static class FortiValues
{
    /// <summary>What GET shows for a pre-shared key; sent back unchanged in a PUT it means "keep the key".</summary>
    public const string MaskedSecret = "ENC ****";

    /// <summary>Fields whose value is one free-text string (quoted as a whole, never split at spaces).</summary>
    private static readonly HashSet<string> TextFields = new(StringComparer.Ordinal)
    {
        "interface", "comments", "comment", "peerid", "localid", "phase1name", "device", "remotegw-ddns", "vpntunnel", "name", "schedule",
        "ipv4-split-include", "src-name", "dst-name", "peer", "peergrp", "usrgrp", "domain", "hostname", "banner",
        "authusr", "authusrgrp", "accprofile", "vdom", "certificate", "description", "alias",
    };

    private static readonly HashSet<string> SecretFields = new(StringComparer.Ordinal) { "psksecret", "authpasswd" };

    /// <summary>Marker returned by <see cref="ToCli"/> when the field must be left as it is.</summary>
    public const string Keep = "\0keep";

    /// <summary>
    /// The CLI text for <paramref name="value"/>: null means unset (JSON null), <see cref="Keep"/> means unchanged.
    /// Every word is quoted when it needs to be, so no value can end the line or inject another command.
    /// </summary>
    /// <summary>Fields whose values are lists of names (firewall policies and address groups).</summary>
    private static readonly HashSet<string> NameListFields = new(StringComparer.Ordinal) { "srcintf", "dstintf", "srcaddr", "dstaddr", "service", "member" };

    public static string? ToCli(string field, JsonNode? value, out string? error)
    {
        error = null;
        switch (value)
        {
            case null:
                return null;
            case JsonValue scalar when scalar.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                return scalar.GetValue<bool>() ? "enable" : "disable";
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.Number:
                return scalar.ToJsonString();
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String:
                return FromString(field, scalar.GetValue<string>());
            case JsonArray array:
                var words = new List<string>();
                foreach (var item in array)
                {
                    if (item is JsonValue itemValue && itemValue.GetValueKind() is JsonValueKind.String or JsonValueKind.Number)
                    {
                        words.Add(itemValue.GetValueKind() == JsonValueKind.String ? itemValue.GetValue<string>() : itemValue.ToJsonString());
                    }
                    else if (item is JsonObject { Count: 1 } named && named.First().Value is JsonValue inner)
                    {
                        // FortiOS sometimes writes lists as [{"name": "x"}, ...].
                        words.Add(inner.ToString());
                    }
                    else
                    {
                        error = $"{field}: list items must be strings or numbers";
                        return null;
                    }
                }

                return string.Join(' ', words.Select(Word));
            default:
                error = $"{field}: objects are not a valid value";
                return null;
        }
    }

    /// <summary>The JSON value of a <c>set</c> line as GET returns it.</summary>
    public static JsonNode ToJson(string field, string raw)
    {
        if (SecretFields.Contains(field))
        {
            return JsonValue.Create(MaskedSecret);
        }

        var tokens = CliTokenizer.Split(raw, out _);
        if (NameListFields.Contains(field))
        {
            // FortiOS lists references as [{"name": "x"}, ...] (interfaces, addresses, services, group members).
            return new JsonArray([.. tokens.Select(t => (JsonNode)new JsonObject { ["name"] = t.Text })]);
        }

        if (!TextFields.Contains(field) && tokens is [{ Quoted: false } only] && IsPlainNumber(only.Text)
            && long.TryParse(only.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(string.Join(' ', tokens.Select(t => t.Text)));
    }

    private static string FromString(string field, string text)
    {
        if (SecretFields.Contains(field))
        {
            if (text == MaskedSecret)
            {
                return Keep;
            }

            return text.StartsWith("ENC ", StringComparison.Ordinal) ? "ENC " + Word(text[4..].Trim()) : ConfigurationWriter.Quote(text);
        }

        if (TextFields.Contains(field))
        {
            return ConfigurationWriter.Quote(text);
        }

        var words = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? ConfigurationWriter.Quote("") : string.Join(' ', words.Select(Word));
    }

    /// <summary>A word bare when it is plain (letters, digits, <c>.-_/:</c>), quoted otherwise.</summary>
    private static string Word(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '/' or ':')
            ? word
            : ConfigurationWriter.Quote(word);

    private static bool IsPlainNumber(string text) =>
        text.Length is > 0 and < 19 && text.All(char.IsAsciiDigit) && (text.Length == 1 || text[0] != '0');
}
