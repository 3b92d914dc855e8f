namespace SharpSwan.Config;

/// <summary>Value checks for kept-verbatim fields.</summary>
internal static class Checks
{
    public static readonly Func<SettingReader, bool> EnableDisable = r => r.EnableDisable() is not null;

    public static readonly Func<SettingReader, bool> Address = r => r.Ipv4Address() is not null;

    public static readonly Func<SettingReader, bool> SingleValue = r => r.Single() is not null;

    public static Func<SettingReader, bool> OneOf(params string[] choices) => r => r.OneOf(choices) is not null;

    public static Func<SettingReader, bool> Range(long min, long max) => r => r.Long(min, max) is not null;

    public static Func<SettingReader, bool> Text(int maxLength) => r => r.Text(maxLength) is not null;

    /// <summary>A FortiOS name field that SharpSwan accepts only empty (the feature unused).</summary>
    public static Func<SettingReader, bool> EmptyOnly(int maxLength, string feature) => r =>
    {
        if (r.Text(maxLength) is not { } value)
        {
            return false;
        }

        if (value.Length > 0)
        {
            r.ValueError(r.Setting.Values[0], $"{r.Field} \"{value}\" is unsupported by SharpSwan ({feature})");
            return false;
        }

        return true;
    };

    /// <summary>A FortiOS number field (0-<paramref name="max"/>) of which SharpSwan does only 0, the feature off.</summary>
    public static Func<SettingReader, bool> ZeroOnly(long max, string feature) => r =>
    {
        if (r.Long(0, max) is not { } value)
        {
            return false;
        }

        if (value != 0)
        {
            r.ValueError(r.Setting.Values[0], $"{r.Field} {value} is unsupported by SharpSwan ({feature})");
            return false;
        }

        return true;
    };

    /// <summary>A FortiOS number field (<paramref name="min"/>-<paramref name="max"/>) of which SharpSwan does only <paramref name="supported"/>.</summary>
    public static Func<SettingReader, bool> OnlyNumber(long min, long max, long supported, string feature) => r =>
    {
        if (r.Long(min, max) is not { } value)
        {
            return false;
        }

        if (value != supported)
        {
            r.ValueError(r.Setting.Values[0], $"{r.Field} {value} is unsupported by SharpSwan ({feature})");
            return false;
        }

        return true;
    };

    /// <summary>A FortiOS field whose every word must be one of <paramref name="supported"/> (the feature unused), e.g. addke "0".</summary>
    public static Func<SettingReader, bool> OnlyWords(string[] supported, string feature) => r =>
    {
        foreach (var token in r.Setting.Values)
        {
            if (!supported.Contains(token.Text, StringComparer.Ordinal))
            {
                r.ValueError(token, $"{r.Field} {token.Text} is unsupported by SharpSwan ({feature})");
                return false;
            }
        }

        return true;
    };

    /// <summary>
    /// A FortiOS list of keywords accepted only as exactly the set SharpSwan does, in any order; <paramref name="tolerated"/>
    /// words (in the FortiOS default but never used here) may be listed too.
    /// </summary>
    public static Func<SettingReader, bool> ExactSet(string[] supported, string[] fortiOsValues, string[] tolerated, string feature) => r =>
    {
        var words = r.Setting.Values.Select(v => v.Text).Where(w => !tolerated.Contains(w, StringComparer.Ordinal)).ToList();
        foreach (var token in r.Setting.Values)
        {
            if (!fortiOsValues.Contains(token.Text, StringComparer.Ordinal))
            {
                r.ValueError(token, $"{r.Field} must be among: {string.Join(" ", fortiOsValues)}");
                return false;
            }
        }

        if (words.Count != supported.Length || !supported.All(words.Contains))
        {
            r.ValueError(r.Setting.Values[0], $"{r.Field} {string.Join(" ", words)} is unsupported by SharpSwan ({feature})");
            return false;
        }

        return true;
    };

    /// <summary>
    /// A FortiOS field whose every value is valid FortiOS but only <paramref name="supported"/> is
    /// something SharpSwan does (typically the default, i.e. the feature off).
    /// </summary>
    public static Func<SettingReader, bool> OnlySupported(string[] supported, string[] fortiOsValues, string feature) => r =>
    {
        if (r.OneOf(fortiOsValues) is not { } value)
        {
            return false;
        }

        if (!supported.Contains(value, StringComparer.Ordinal))
        {
            r.ValueError(r.Setting.Values[0], $"{r.Field} {value} is unsupported by SharpSwan ({feature})");
            return false;
        }

        return true;
    };
}
