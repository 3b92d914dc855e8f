using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using SharpSwan.Crypto;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// Stateless COOKIEs for IKE_SA_INIT under load (RFC 7296 §2.6): a version byte naming our secret, then an HMAC with that
/// secret over the peer's nonce, address and SPI, so a responder keeps no state for a peer that cannot receive at its
/// address. The secret is replaced every <see cref="SecretLifetime"/>; a cookie made with the one before still counts, so a
/// peer that got its cookie just before a change is not asked twice.
/// </summary>
internal sealed class InitCookies(IRandomSource random)
{
    /// <summary>Long enough for a peer's round trip, short enough that a leaked cookie (or secret) is soon worthless.</summary>
    public static readonly TimeSpan SecretLifetime = TimeSpan.FromMinutes(2);

    private const int SecretLength = 32;
    private readonly byte[] _current = new byte[SecretLength];
    private readonly byte[] _previous = new byte[SecretLength];
    private bool _hasPrevious;
    private bool _started;
    private DateTimeOffset _replaceAt;

    /// <summary>The version of the secret new cookies carry (wraps at 256; only it and the one before are accepted).</summary>
    public byte Version { get; private set; }

    /// <summary>The COOKIE notify data for this request: version, then HMAC-SHA256.</summary>
    public byte[] Make(IkeMessage message, IPEndPoint remote, ulong spiI, DateTimeOffset now)
    {
        Rotate(now);
        var cookie = new byte[1 + 32];
        cookie[0] = Version;
        Compute(_current, message, remote, spiI, cookie.AsSpan(1));
        return cookie;
    }

    /// <summary>Whether the request starts with a COOKIE we gave this peer under the current secret or the one before.</summary>
    public bool IsValid(IkeMessage message, IPEndPoint remote, ulong spiI, DateTimeOffset now)
    {
        Rotate(now);
        if (message.Payloads.Count == 0 || message.Payloads[0] is not NotifyPayload { NotifyType: NotifyType.Cookie } cookie || cookie.Data.Length != 33)
        {
            return false;
        }

        byte[] secret;
        if (cookie.Data[0] == Version)
        {
            secret = _current;
        }
        else if (_hasPrevious && cookie.Data[0] == unchecked((byte)(Version - 1)))
        {
            secret = _previous;
        }
        else
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        Compute(secret, message, remote, spiI, expected);
        return CryptographicOperations.FixedTimeEquals(cookie.Data.AsSpan(1), expected);
    }

    /// <summary>First use draws the secret; afterwards a new one replaces it once its lifetime is over.</summary>
    private void Rotate(DateTimeOffset now)
    {
        if (!_started)
        {
            random.Fill(_current);
            _started = true;
            _replaceAt = now + SecretLifetime;
            return;
        }

        if (now < _replaceAt)
        {
            return;
        }

        // Long idle: the old secret is older than one lifetime and must not count any more.
        var idle = now >= _replaceAt + SecretLifetime;
        _current.CopyTo(_previous, 0);
        _hasPrevious = !idle;
        random.Fill(_current);
        Version = unchecked((byte)(Version + 1));
        _replaceAt = now + SecretLifetime;
    }

    /// <summary>Zeroes both secrets (the engine is going away).</summary>
    public void Wipe()
    {
        CryptographicOperations.ZeroMemory(_current);
        CryptographicOperations.ZeroMemory(_previous);
        _hasPrevious = false;
    }

    private static void Compute(byte[] secret, IkeMessage message, IPEndPoint remote, ulong spiI, Span<byte> output)
    {
        var nonce = message.Find<NoncePayload>()?.Data ?? [];
        var input = new byte[nonce.Length + 16 + 8];
        nonce.CopyTo(input, 0);
        remote.Address.TryWriteBytes(input.AsSpan(nonce.Length), out _);
        BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(nonce.Length + 16), spiI);
        HMACSHA256.HashData(secret, input, output);
    }
}
