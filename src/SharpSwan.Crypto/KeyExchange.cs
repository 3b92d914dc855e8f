namespace SharpSwan.Crypto;

/// <summary>
/// One side of an IKEv2 (EC)DH exchange: an ephemeral private key, the public value to send in the KE payload,
/// and the shared secret computed from the peer's KE payload.
/// </summary>
/// <remarks>
/// Encodings follow the IKEv2 wire format: MODP values are big-endian and padded to the prime length
/// (RFC 7296 §3.4); ECP public values are x | y, each padded to the field size, with no 0x04 prefix, and the
/// shared secret is the padded x coordinate (RFC 5903 §7); Curve25519 values are 32 bytes (RFC 8031).
/// Not thread-safe; an instance belongs to one exchange.
/// </remarks>
public abstract class KeyExchange : IDisposable
{
    private bool _disposed;

    private protected KeyExchange(DiffieHellmanGroup group)
    {
        Group = group;
    }

    public DiffieHellmanGroup Group { get; }

    /// <summary>The KE payload's key exchange data (a fresh copy on every read).</summary>
    public abstract byte[] PublicValue { get; }

    /// <summary>
    /// Groups 1, 2 and 5 (MODP 768/1024/1536) are supported for old peers only; configuration warns that they are weak.
    /// </summary>
    public static bool IsWeak(DiffieHellmanGroup group) =>
        group is DiffieHellmanGroup.Modp768 or DiffieHellmanGroup.Modp1024 or DiffieHellmanGroup.Modp1536;

    public static bool IsSupported(DiffieHellmanGroup group) => group switch
    {
        DiffieHellmanGroup.Modp768 or DiffieHellmanGroup.Modp1024 or DiffieHellmanGroup.Modp1536 => true,
        DiffieHellmanGroup.Modp2048 or DiffieHellmanGroup.Modp3072 => true,
        DiffieHellmanGroup.Ecp256 or DiffieHellmanGroup.Ecp384 or DiffieHellmanGroup.Ecp521 => true,
        DiffieHellmanGroup.Curve25519 => true,
        _ => false,
    };

    /// <summary>Length in bytes of the KE payload data for <paramref name="group"/>.</summary>
    public static int PublicValueLength(DiffieHellmanGroup group) => group switch
    {
        DiffieHellmanGroup.Modp768 => 96,
        DiffieHellmanGroup.Modp1024 => 128,
        DiffieHellmanGroup.Modp1536 => 192,
        DiffieHellmanGroup.Modp2048 => 256,
        DiffieHellmanGroup.Modp3072 => 384,
        DiffieHellmanGroup.Ecp256 => 64,
        DiffieHellmanGroup.Ecp384 => 96,
        DiffieHellmanGroup.Ecp521 => 132,
        DiffieHellmanGroup.Curve25519 => 32,
        _ => throw new NotSupportedException($"Diffie-Hellman group {group} is not supported."),
    };

    /// <summary>
    /// Generates a fresh ephemeral key pair for <paramref name="group"/> with its private key drawn from
    /// <paramref name="random"/>: the OS CSPRNG (<see cref="SystemRandomSource"/>) in production, a seeded source in a
    /// simulation, so that the same seed puts the same KE payloads on the wire.
    /// </summary>
    public static KeyExchange Create(DiffieHellmanGroup group, IRandomSource random)
    {
        var privateKey = DrawPrivateKey(group, random);
        try
        {
            return CreateFromPrivateKey(group, privateKey);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(privateKey);
        }
    }

    /// <summary>
    /// Draws only the private key for <paramref name="group"/> (cheap), so that the caller can do the expensive part
    /// (<see cref="CreateFromPrivateKey"/>: the public value, then the shared secret) on another thread while the draws
    /// from <paramref name="random"/> stay in the caller's order. The caller wipes the returned key.
    /// </summary>
    public static byte[] DrawPrivateKey(DiffieHellmanGroup group, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return group switch
        {
            _ when ModpKeyExchange.IsModp(group) => ModpKeyExchange.GeneratePrivateValue(group, random),
            DiffieHellmanGroup.Ecp256 or DiffieHellmanGroup.Ecp384 or DiffieHellmanGroup.Ecp521 => EcpKeyExchange.GeneratePrivateKey(group, random),
            DiffieHellmanGroup.Curve25519 => Curve25519KeyExchange.GeneratePrivateKey(random),
            _ => throw new NotSupportedException($"Diffie-Hellman group {group} is not supported."),
        };
    }

    /// <summary>
    /// Builds a key exchange from a fixed private key (known-answer tests, and <see cref="Create"/> once it has drawn
    /// one): MODP takes the big-endian exponent, ECP the big-endian scalar, Curve25519 the 32-byte RFC 7748 scalar.
    /// </summary>
    public static KeyExchange CreateFromPrivateKey(DiffieHellmanGroup group, ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.IsEmpty)
        {
            throw new ArgumentException("A private key is required.", nameof(privateKey));
        }

        return group switch
        {
            _ when ModpKeyExchange.IsModp(group) => new ModpKeyExchange(group, privateKey),
            DiffieHellmanGroup.Ecp256 or DiffieHellmanGroup.Ecp384 or DiffieHellmanGroup.Ecp521 => new EcpKeyExchange(group, privateKey),
            DiffieHellmanGroup.Curve25519 => new Curve25519KeyExchange(privateKey),
            _ => throw new NotSupportedException($"Diffie-Hellman group {group} is not supported."),
        };
    }

    /// <summary>
    /// Computes the shared secret from the peer's KE payload data. Returns false, and an empty array, when the
    /// value is unusable (wrong length, not a valid group element, degenerate result); it never throws for that.
    /// </summary>
    public bool TryDeriveSharedSecret(ReadOnlySpan<byte> peerPublicValue, out byte[] sharedSecret)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (peerPublicValue.Length != PublicValueLength(Group) || !TryDeriveCore(peerPublicValue, out var secret))
        {
            sharedSecret = [];
            return false;
        }

        sharedSecret = secret;
        return true;
    }

    private protected abstract bool TryDeriveCore(ReadOnlySpan<byte> peerPublicValue, out byte[] sharedSecret);

    /// <summary>Left-pads a big-endian integer to <paramref name="length"/> bytes.</summary>
    private protected static byte[] PadLeft(ReadOnlySpan<byte> value, int length)
    {
        if (value.Length == length)
        {
            return value.ToArray();
        }

        var padded = new byte[length];
        value.CopyTo(padded.AsSpan(length - value.Length));
        return padded;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        DisposeCore();
        GC.SuppressFinalize(this);
    }

    private protected abstract void DisposeCore();
}
