namespace SharpSwan.Gateway.Diagnostics;

/// <summary>The sniffer's `tsformat` argument: `a` absolute UTC, `l` absolute local, anything else relative.</summary>
public enum SnifferTimestampFormat
{
    Relative,
    AbsoluteUtc,
    AbsoluteLocal,
}
