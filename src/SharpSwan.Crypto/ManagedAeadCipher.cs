using System.Security.Cryptography;

namespace SharpSwan.Crypto;

/// <summary>The fallback AEAD on .NET's AesGcm / ChaCha20Poly1305 (used when libcrypto cannot be loaded).</summary>
internal sealed class ManagedAeadCipher : IAeadCipher
{
    private readonly AesGcm? _aesGcm;
    private readonly ChaCha20Poly1305? _chaCha;

    public ManagedAeadCipher(EncryptionAlgorithm encryption, ReadOnlySpan<byte> key)
    {
        if (encryption == EncryptionAlgorithm.AesGcm16)
        {
            _aesGcm = new AesGcm(key, AeadPacketProtector.TagLength);
        }
        else
        {
            _chaCha = new ChaCha20Poly1305(key);
        }
    }

    public CryptoBackend Backend => CryptoBackend.Managed;

    public void Encrypt(ReadOnlySpan<byte> nonce, Span<byte> payload, Span<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        if (_aesGcm is not null)
        {
            _aesGcm.Encrypt(nonce, payload, payload, tag, associatedData);
        }
        else
        {
            _chaCha!.Encrypt(nonce, payload, payload, tag, associatedData);
        }
    }

    public bool TryDecrypt(ReadOnlySpan<byte> nonce, Span<byte> payload, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        try
        {
            // The platform compares the tag in constant time and wipes the output on mismatch.
            if (_aesGcm is not null)
            {
                _aesGcm.Decrypt(nonce, payload, tag, payload, associatedData);
            }
            else
            {
                _chaCha!.Decrypt(nonce, payload, tag, payload, associatedData);
            }

            return true;
        }
        catch (CryptographicException)
        {
            // AuthenticationTagMismatchException derives from it.
            return false;
        }
    }

    public void Dispose()
    {
        _aesGcm?.Dispose();
        _chaCha?.Dispose();
    }
}
