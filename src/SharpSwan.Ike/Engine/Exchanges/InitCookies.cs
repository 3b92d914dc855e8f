using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using SharpSwan.Crypto;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// Stateless COOKIEs for IKE_SA_INIT under load (RFC 7296 §2.6): a hash of the peer's nonce, address and SPI with a secret
/// of ours, so a responder keeps no state for a peer that cannot receive at its address.
/// </summary>
internal sealed class InitCookies
{
    private readonly byte[] _secret = new byte[32];

    public InitCookies(IRandomSource random) => random.Fill(_secret);

    public byte[] Make(IkeMessage message, IPEndPoint remote, ulong spiI)
    {
        var nonce = message.Find<NoncePayload>()?.Data ?? [];
        var input = new byte[nonce.Length + 16 + 8 + _secret.Length];
        nonce.CopyTo(input, 0);
        remote.Address.TryWriteBytes(input.AsSpan(nonce.Length), out _);
        BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(nonce.Length + 16), spiI);
        _secret.CopyTo(input, nonce.Length + 24);
        return SHA256.HashData(input);
    }

    /// <summary>Whether the request starts with the COOKIE we would give this peer.</summary>
    public bool IsValid(IkeMessage message, IPEndPoint remote, ulong spiI) =>
        message.Payloads.Count > 0 && message.Payloads[0] is NotifyPayload { NotifyType: NotifyType.Cookie } cookie &&
        CryptographicOperations.FixedTimeEquals(cookie.Data, Make(message, remote, spiI));
}
