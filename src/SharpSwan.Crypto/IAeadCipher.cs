namespace SharpSwan.Crypto;

/// <summary>
/// One keyed AEAD primitive (12-byte nonce, 16-byte tag) under <see cref="AeadPacketProtector"/>: OpenSSL's
/// libcrypto directly where it loads, .NET's classes otherwise. Encryption and decryption are in place.
/// </summary>
internal interface IAeadCipher : IDisposable
{
    CryptoBackend Backend { get; }

    void Encrypt(ReadOnlySpan<byte> nonce, Span<byte> payload, Span<byte> tag, ReadOnlySpan<byte> associatedData);

    /// <summary>Checks the tag in constant time; on a mismatch returns false and leaves no plaintext behind.</summary>
    bool TryDecrypt(ReadOnlySpan<byte> nonce, Span<byte> payload, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> associatedData);
}
