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
