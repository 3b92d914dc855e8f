namespace SharpSwan.Gateway.Diagnostics;

/// <summary>One captured packet: when, where, which way, and its bytes from the link-layer header on.</summary>
/// <param name="LinkType">A <see cref="CaptureLinkType"/> value.</param>
/// <param name="OriginalLength">Length on the wire; <paramref name="Data"/> may be shorter (frame size).</param>
public sealed record CapturedFrame(DateTimeOffset Timestamp, string Interface, SnifferDirection Direction, int LinkType, byte[] Data, int OriginalLength);
