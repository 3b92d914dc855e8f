namespace SharpSwan.Ike.Wire;

/// <summary>
/// One configuration attribute of a CP payload (RFC 7296 §3.15.1), e.g. type 1 INTERNAL_IP4_ADDRESS.
/// <paramref name="Value"/> is never mutated; it is empty in a request that asks for any value.
/// </summary>
public sealed record ConfigurationAttribute(ushort AttributeType, byte[] Value)
{
    internal const int HeaderLength = 4;

    internal int EncodedLength => HeaderLength + Value.Length;

    public override string ToString() => $"{AttributeType}({Value.Length} bytes)";
}
