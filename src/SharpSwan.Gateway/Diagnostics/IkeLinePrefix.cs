using System.Net;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// Reads FortiOS's IKE debug prefix, `ike [V=vdom:]0:&lt;phase1&gt;[:serial[:phase2:serial]]: text`, and the peer addresses
/// of the gateway-wide lines (`ike 0: comes 198.51.100.2:500->198.51.100.1:500,len=...`). Never throws.
/// </summary>
public static class IkeLinePrefix
{
    private const string Marker = "ike ";

    /// <summary>The phase 1 name of a tunnel line; null for gateway-wide lines (`ike 0: ...`) and anything else.</summary>
    public static string? Phase1Name(string line)
    {
        if (!TrySkipVdom(line, out var rest))
        {
            return null;
        }

        // rest is "<name>[:...]: text" or " text" for a gateway-wide line.
        var end = rest.IndexOf(':');
        if (end <= 0 || rest[0] == ' ')
        {
            return null;
        }

        var name = rest[..end];
        return name.Contains(' ') ? null : name.ToString();
    }

    /// <summary>
    /// Splits a line into its phase 1, phase 2 and text: `ike 0:p1:3:p2:7: added ...` gives ("p1", "p2", "added ...");
    /// a gateway-wide `ike 0: text` gives (null, null, "text"). False for anything that is not an IKE debug line.
    /// </summary>
    public static bool TrySplit(string line, out string? phase1, out string? phase2, out string text)
    {
        phase1 = null;
        phase2 = null;
        text = string.Empty;
        if (!TrySkipVdom(line, out var rest))
        {
            return false;
        }

        if (rest.Length > 0 && rest[0] == ' ')
        {
            text = rest[1..].ToString();
            return true;
        }

        // Prefix parts never contain spaces, so the first ": " ends the prefix.
        var end = rest.IndexOf(": ", StringComparison.Ordinal);
        if (end <= 0 || rest[..end].Contains(' '))
        {
            return false;
        }

        var parts = rest[..end].ToString().Split(':');
        phase1 = parts[0];
        phase2 = parts.Length >= 4 ? parts[2] : null;
        text = rest[(end + 2)..].ToString();
        return true;
    }

    /// <summary>The addresses a gateway-wide line names: `comes REMOTE->LOCAL,...` gives both, `from REMOTE` the remote.</summary>
    public static (IPEndPoint? Local, IPEndPoint? Remote) Addresses(string line)
    {
        var comes = line.IndexOf(" comes ", StringComparison.Ordinal);
        if (comes >= 0)
        {
            var text = line.AsSpan(comes + " comes ".Length);
            var arrow = text.IndexOf("->", StringComparison.Ordinal);
            if (arrow > 0)
            {
                var after = text[(arrow + 2)..];
                var stop = after.IndexOfAny(',', ' ');
                var remote = ParseEndPoint(text[..arrow]);
                var local = ParseEndPoint(stop < 0 ? after : after[..stop]);
                return (local, remote);
            }
        }

        var from = line.IndexOf(" from ", StringComparison.Ordinal);
        if (from >= 0)
        {
            // "from 198.51.100.2:500: reason" or "from 198.51.100.2:500, ...": the endpoint ends at a space or comma.
            var after = line.AsSpan(from + " from ".Length);
            var end = after.IndexOfAny(' ', ',');
            var candidate = end < 0 ? after : after[..end];
            return (null, ParseEndPoint(candidate.TrimEnd(':')));
        }

        return (null, null);
    }

    private static bool TrySkipVdom(string line, out ReadOnlySpan<char> rest)
    {
        rest = default;
        if (!line.StartsWith(Marker, StringComparison.Ordinal))
        {
            return false;
        }

        var span = line.AsSpan(Marker.Length);
        if (span.StartsWith("V="))
        {
            var colon = span.IndexOf(':');
            if (colon < 0)
            {
                return false;
            }

            span = span[(colon + 1)..];
        }

        var digits = 0;
        while (digits < span.Length && char.IsAsciiDigit(span[digits]))
        {
            digits++;
        }

        if (digits == 0 || digits >= span.Length || span[digits] != ':')
        {
            return false;
        }

        rest = span[(digits + 1)..];
        return true;
    }

    private static IPEndPoint? ParseEndPoint(ReadOnlySpan<char> text)
    {
        if (IPEndPoint.TryParse(text, out var endpoint))
        {
            return endpoint;
        }

        return IPAddress.TryParse(text, out var address) ? new IPEndPoint(address, 0) : null;
    }
}
