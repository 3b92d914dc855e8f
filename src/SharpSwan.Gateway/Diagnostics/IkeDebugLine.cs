using System.Globalization;
using System.Net;
using SharpSwan.Ike.Logging;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// One IKE debug line as the engine wrote it, with the context the text alone does not carry reliably: the phase 1 it
/// belongs to and the tunnel's local and remote addresses at that moment (for `diagnose vpn ike log-filter`).
/// </summary>
public sealed record IkeDebugLine(DateTimeOffset Time, IkeLogLevel Level, string Text, string? Phase1, IPEndPoint? Local, IPEndPoint? Remote)
{
    /// <summary>The line as FortiOS prints it, with `diagnose debug console timestamp enable`'s prefix when asked.</summary>
    public string Format(bool timestamp) =>
        timestamp ? string.Create(CultureInfo.InvariantCulture, $"{Time:yyyy-MM-dd HH:mm:ss} {Text}") : Text;
}
