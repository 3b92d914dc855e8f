using System.Runtime.CompilerServices;

namespace SharpSwan.Ike.Logging;

/// <summary>
/// The text of an interpolated <see cref="IkeLogger"/> call, built only when the sink shows its level: a disabled level
/// costs the check and nothing else (no formatting, no string), which matters on the per-setup path where most lines are
/// Negotiation detail nobody asked for.
/// </summary>
[InterpolatedStringHandler]
public ref struct IkeLogText
{
    private DefaultInterpolatedStringHandler _text;

    public IkeLogText(int literalLength, int formattedCount, IkeLogger logger, IkeLogLevel level, out bool enabled)
    {
        ArgumentNullException.ThrowIfNull(logger);
        enabled = logger.IsEnabled(level);
        Enabled = enabled;
        _text = enabled ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    /// <summary>True when the level was shown at the call, so the holes were formatted.</summary>
    public bool Enabled { get; }

    public void AppendLiteral(string value) => _text.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => _text.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => _text.AppendFormatted(value, format);

    public void AppendFormatted<T>(T value, int alignment) => _text.AppendFormatted(value, alignment);

    public void AppendFormatted<T>(T value, int alignment, string? format) => _text.AppendFormatted(value, alignment, format);

    public void AppendFormatted(ReadOnlySpan<char> value) => _text.AppendFormatted(value);

    public void AppendFormatted(string? value) => _text.AppendFormatted(value);

    /// <summary>The text (returns the pooled buffer); only called when <see cref="Enabled"/>.</summary>
    public string ToStringAndClear() => _text.ToStringAndClear();
}
