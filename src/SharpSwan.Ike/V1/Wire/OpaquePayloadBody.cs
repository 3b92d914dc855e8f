namespace SharpSwan.Ike.V1.Wire;

/// <summary>Shared length check for payloads whose body is a single octet string (KE, HASH, SIG, NONCE, VID, NAT-D).</summary>
internal static class OpaquePayloadBody
{
    public static byte[]? TryRead(ReadOnlySpan<byte> body, int minimum, int maximum, string what, out string? error)
    {
        if (body.Length < minimum || body.Length > maximum)
        {
            error = $"{what} of {body.Length} octets is outside {minimum}..{maximum}";
            return null;
        }

        error = null;
        return body.ToArray();
    }
}
