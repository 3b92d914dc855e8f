using System.Security.Cryptography;

namespace SharpSwan.Crypto;

/// <summary>
/// ESP with NULL encryption (RFC 2410) and a truncated HMAC ICV: no IV, the payload stays in clear, only its
/// integrity and origin are protected. Offered only because FortiOS phase 2 proposals such as <c>null-sha256</c> exist.
/// </summary>
internal sealed class NullHmacPacketProtector : PacketProtector
{
    private const int MaxHashLength = 64;

    private readonly IncrementalHash _hmac;
    private readonly int _icvLength;

    public NullHmacPacketProtector(IntegrityAlgorithm integrity, ReadOnlySpan<byte> integrityKey)
    {
        _hmac = IncrementalHash.CreateHMAC(HmacHash(integrity), integrityKey);
        _icvLength = IcvLength(integrity);
    }

    public override int IvSize => 0;

    public override int IcvSize => _icvLength;

    // RFC 2410 §2: NULL has a block size of 1; ESP still aligns its trailer to 4 octets.
    public override int BlockSize => 1;

    public override bool IsAead => false;

    internal override CryptoBackend Backend => CryptoBackend.Managed;

    private protected override void SealCore(Span<byte> message, int aadLength, int payloadLength, SequenceHigh high)
    {
        var authenticatedLength = aadLength + payloadLength;
        var covered = AppendHighOrder(message, authenticatedLength, high);
        ComputeIcv(message[..covered], message.Slice(authenticatedLength, _icvLength));
    }

    private protected override bool TryOpenCore(Span<byte> message, int aadLength, int payloadLength, SequenceHigh high)
    {
        var authenticatedLength = aadLength + payloadLength;
        var icv = message.Slice(authenticatedLength, _icvLength);
        Span<byte> received = stackalloc byte[_icvLength];
        icv.CopyTo(received);
        Span<byte> expected = stackalloc byte[_icvLength];
        ComputeIcv(message[..AppendHighOrder(message, authenticatedLength, high)], expected);
        received.CopyTo(icv);
        return CryptographicOperations.FixedTimeEquals(expected, received);
    }

    private void ComputeIcv(ReadOnlySpan<byte> authenticated, Span<byte> icv)
    {
        Span<byte> mac = stackalloc byte[MaxHashLength];
        _hmac.AppendData(authenticated);
        var macLength = _hmac.GetHashAndReset(mac);
        mac[..icv.Length].CopyTo(icv);
        mac[..macLength].Clear();
    }

    private protected override void DisposeCore() => _hmac.Dispose();
}
