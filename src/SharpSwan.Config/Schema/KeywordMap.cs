namespace SharpSwan.Config;

/// <summary>Two-way map between an enum and its FortiOS CLI keywords.</summary>
internal sealed class KeywordMap<TEnum>(params (TEnum Value, string Keyword)[] pairs)
    where TEnum : struct, Enum
{
    public string Choices { get; } = string.Join(" ", pairs.Select(p => p.Keyword));

    public bool TryParse(string keyword, out TEnum value)
    {
        foreach (var pair in pairs)
        {
            if (string.Equals(pair.Keyword, keyword, StringComparison.Ordinal))
            {
                value = pair.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public string Format(TEnum value)
    {
        foreach (var pair in pairs)
        {
            if (EqualityComparer<TEnum>.Default.Equals(pair.Value, value))
            {
                return pair.Keyword;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, "No FortiOS keyword for this value.");
    }
}
