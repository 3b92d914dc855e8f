using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using SharpSwan.Crypto;

namespace SharpSwan.Config;

/// <summary>
/// Interprets the values of one <c>set</c>. Each method returns null (and records a FortiOS-style
/// error) when the values are wrong, so a table builder can apply whatever is valid and go on.
/// </summary>
internal sealed class SettingReader(RawSetting setting, DiagnosticBag diagnostics)
{
    /// <summary>Diffie-Hellman groups FortiOS offers that SharpSwan does not implement.</summary>
    private static readonly HashSet<int> UnsupportedDhGroups = [16, 17, 18, 27, 28, 29, 30, 32];

    private static readonly string SupportedDhGroups = string.Join(
        " ",
        Enum.GetValues<DiffieHellmanGroup>().Where(g => g != DiffieHellmanGroup.None).Select(g => (int)g));

    public RawSetting Setting { get; } = setting;

    public string Field => Setting.Name;

    public DiagnosticBag Diagnostics { get; } = diagnostics;

    public void ValueError(ConfigToken value, string reason) => Diagnostics.ValueParseError(Field, value, reason);

    /// <summary>The only value; reports extra values as FortiOS does (a parse error at the first extra word).</summary>
    public ConfigToken? Single()
    {
        if (Setting.Values.Length > 1)
        {
            Diagnostics.CommandParseError(Setting.Values[1], $"{Field} takes one value");
            return null;
        }

        return Setting.Values[0];
    }

    public int? Int(int min, int max) => Long(min, max) is { } value ? (int)value : null;

    public long? Long(long min, long max)
    {
        if (Single() is not { } token)
        {
            return null;
        }

        if (token.Text.Length == 0 || !token.Text.All(char.IsAsciiDigit))
        {
            ValueError(token, $"{Field} must be a number {min}-{max}");
            return null;
        }

        if (!long.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            || value < min || value > max)
        {
            ValueError(token, $"{Field} must be {min}-{max}");
            return null;
        }

        return value;
    }

    public bool? EnableDisable() => OneOf("enable", "disable") is { } value ? value == "enable" : null;

    public string? OneOf(params string[] choices)
    {
        if (Single() is not { } token)
        {
            return null;
        }

        if (!choices.Contains(token.Text, StringComparer.Ordinal))
        {
            ValueError(token, $"{Field} must be one of: {string.Join(" ", choices)}");
            return null;
        }

        return token.Text;
    }

    public TEnum? Keyword<TEnum>(KeywordMap<TEnum> map)
        where TEnum : struct, Enum
    {
        if (Single() is not { } token)
        {
            return null;
        }

        if (!map.TryParse(token.Text, out var value))
        {
            ValueError(token, $"{Field} must be one of: {map.Choices}");
            return null;
        }

        return value;
    }

    /// <summary>A free-text value such as a name; an empty string means "not set".</summary>
    public string? Text(int maxLength)
    {
        if (Single() is not { } token)
        {
            return null;
        }

        if (token.Text.Length > maxLength)
        {
            ValueError(token, $"{Field} is at most {maxLength} characters");
            return null;
        }

        return token.Text;
    }

    /// <summary>A list of names (<c>set srcaddr "a" "b"</c>), each at most <paramref name="maxLength"/> characters.</summary>
    public ImmutableArray<string>? Names(int maxLength)
    {
        foreach (var token in Setting.Values)
        {
            if (token.Text.Length == 0 || token.Text.Length > maxLength)
            {
                ValueError(token, $"each {Field} name is 1-{maxLength} characters");
                return null;
            }
        }

        return [.. Setting.Values.Select(v => v.Text)];
    }

    public IPAddress? Ipv4Address() => Single() is { } token ? ParseAddress(token) : null;

    /// <summary>A contiguous netmask such as 255.255.255.0.</summary>
    public IPAddress? Netmask()
    {
        if (Ipv4Address() is not { } mask)
        {
            return null;
        }

        if (!Ipv4.TryMaskToPrefix(mask, out _))
        {
            ValueError(Setting.Values[0], $"{mask} is not a contiguous netmask");
            return null;
        }

        return mask;
    }

    /// <summary>
    /// <c>a.b.c.d m.m.m.m</c>, <c>a.b.c.d/nn</c> or <c>a.b.c.d/m.m.m.m</c>. Host bits are cleared, as FortiOS does.
    /// </summary>
    public AddressSelector? Subnet()
    {
        var values = Setting.Values;
        if (values.Length > 2)
        {
            Diagnostics.CommandParseError(values[2], $"{Field} takes an address and a netmask");
            return null;
        }

        string addressText;
        string maskText;
        ConfigToken maskToken;
        if (values.Length == 2)
        {
            (addressText, maskText, maskToken) = (values[0].Text, values[1].Text, values[1]);
        }
        else
        {
            var slash = values[0].Text.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                ValueError(values[0], $"{Field} needs a netmask: a.b.c.d m.m.m.m or a.b.c.d/nn");
                return null;
            }

            (addressText, maskText, maskToken) = (values[0].Text[..slash], values[0].Text[(slash + 1)..], values[0]);
        }

        if (ParseAddress(values[0] with { Text = addressText }) is not { } address)
        {
            return null;
        }

        int prefixLength;
        if (maskText.Length is > 0 and <= 2 && maskText.All(char.IsAsciiDigit))
        {
            prefixLength = int.Parse(maskText, CultureInfo.InvariantCulture);
            if (prefixLength > 32)
            {
                ValueError(maskToken, $"prefix length /{maskText} must be 0-32");
                return null;
            }
        }
        else if (!Ipv4.TryParse(maskText, out var mask))
        {
            ValueError(maskToken, $"'{maskText}' is not a netmask");
            return null;
        }
        else if (!Ipv4.TryMaskToPrefix(mask, out prefixLength))
        {
            ValueError(maskToken, $"{maskText} is not a contiguous netmask");
            return null;
        }

        return AddressSelector.FromSubnet(address, prefixLength);
    }

    public ImmutableArray<DiffieHellmanGroup>? DhGroups()
    {
        var groups = ImmutableArray.CreateBuilder<DiffieHellmanGroup>();
        var ok = true;
        foreach (var token in Setting.Values)
        {
            if (!int.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                ValueError(token, $"{Field} values are DH group numbers ({SupportedDhGroups})");
                ok = false;
            }
            else if (UnsupportedDhGroups.Contains(number))
            {
                ValueError(token, $"DH group {number} is unsupported by SharpSwan (supported: {SupportedDhGroups})");
                ok = false;
            }
            else if (number is 0 or > ushort.MaxValue || !Enum.IsDefined((DiffieHellmanGroup)number))
            {
                ValueError(token, $"{number} is not a FortiOS DH group (SharpSwan supports {SupportedDhGroups})");
                ok = false;
            }
            // A repeat is dropped, not refused: it asks for nothing new, and reading it
            // once keeps the offer from listing the same transform twice.
            else if (!groups.Contains((DiffieHellmanGroup)number))
            {
                groups.Add((DiffieHellmanGroup)number);
            }
        }

        if (!ok)
        {
            return null;
        }

        var weak = groups.Where(KeyExchange.IsWeak).Select(g => ((int)g).ToString(CultureInfo.InvariantCulture)).ToList();
        if (weak.Count > 0)
        {
            WarnWeak(
                $"DH group {string.Join(", ", weak)} (MODP 768/1024/1536 bits) is weak, below the 2048 bits NIST requires (SP 800-131A)",
                "14, 19, 20 or 21");
        }

        return groups.ToImmutable();
    }

    public ImmutableArray<IkeProposal>? IkeProposals()
    {
        var proposals = Proposals<IkeProposal>(IkeProposal.TryParse);
        WarnWeakProposals(proposals?.Select(p => (p.Name, p.Weakness)), "aes256-sha256 or aes256gcm-prfsha384");
        return proposals;
    }

    public ImmutableArray<EspProposal>? EspProposals()
    {
        var proposals = Proposals<EspProposal>(EspProposal.TryParse);
        WarnWeakProposals(proposals?.Select(p => (p.Name, p.Weakness)), "aes256-sha256 or aes256gcm");
        return proposals;
    }

    private void WarnWeakProposals(IEnumerable<(string Name, string? Weakness)>? proposals, string instead)
    {
        foreach (var (name, weakness) in proposals ?? [])
        {
            if (weakness is not null)
            {
                WarnWeak($"{name} is weak: {weakness}", instead);
            }
        }
    }

    /// <summary>A legacy algorithm is negotiated as configured, with a warning (an error under <c>check --strict</c>).</summary>
    private void WarnWeak(string what, string instead) =>
        Diagnostics.Warn(
            Setting.Verb.Line,
            WarningKind.WeakAlgorithm,
            Field,
            $"{Field}: {what}; SharpSwan negotiates it for peers that offer nothing better, move them to {instead}");

    public Secret? Secret()
    {
        var values = Setting.Values.Select(v => v.Text).ToArray();
        if (!SharpSwan.Config.Secret.TryParse(values, Diagnostics.Keyring, out var secret, out var legacy, out var error))
        {
            // Never echo the value: it may be the key itself.
            var redacted = Setting.Values[0] with { Text = "****" };
            Diagnostics.ValueParseError(Field, redacted, error.StartsWith(Field, StringComparison.Ordinal) ? error : $"{Field} {error}");
            return null;
        }

        if (legacy)
        {
            WarnLegacySecret();
        }

        return secret;
    }

    /// <summary>A secret in SharpSwan's old base64 form: read, and written back encrypted at the next save.</summary>
    public void WarnLegacySecret() =>
        Diagnostics.Warn(
            Setting.Verb.Line,
            WarningKind.LegacySecret,
            Field,
            $"{Field} is in SharpSwan's old base64 form (readable by anyone who reads the file); it is saved encrypted from now on");

    /// <summary>An administrator password or API key, kept as a salted hash; the value is never echoed in errors.</summary>
    public PasswordHash? PasswordHash(int iterations, int minimumLength)
    {
        var values = Setting.Values.Select(v => v.Text).ToArray();
        if (!SharpSwan.Config.PasswordHash.TryParse(values, iterations, minimumLength, out var hash, out var error))
        {
            var redacted = Setting.Values[0] with { Text = "****" };
            Diagnostics.ValueParseError(Field, redacted, $"{Field} {error}");
            return null;
        }

        return hash;
    }

    private delegate bool TryParseProposal<T>(string text, out T? proposal, out string error);

    private ImmutableArray<T>? Proposals<T>(TryParseProposal<T> tryParse)
        where T : class
    {
        var proposals = ImmutableArray.CreateBuilder<T>();
        var ok = true;
        foreach (var token in Setting.Values)
        {
            if (!tryParse(token.Text, out var proposal, out var error))
            {
                ValueError(token, error);
                ok = false;
            }
            // As for DH groups: a repeated proposal is read once, so the SA payload never carries a duplicate proposal.
            else if (!proposals.Contains(proposal!))
            {
                proposals.Add(proposal!);
            }
        }

        return ok ? proposals.ToImmutable() : null;
    }

    private IPAddress? ParseAddress(ConfigToken token)
    {
        if (!Ipv4.TryParse(token.Text, out var address))
        {
            ValueError(token, $"'{token.Text}' is not an IPv4 address (a.b.c.d)");
            return null;
        }

        return address;
    }
}
