using System.Security.Cryptography;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// SharpSwan's stored form of a secret: <c>ENC sharpswan-aes256gcm$&lt;base64(nonce ‖ ciphertext ‖ tag)&gt;</c>. The
/// <c>$</c> is outside the base64 alphabet, so the form can never be taken for a FortiOS <c>ENC</c> value (plain
/// base64). AES-256-GCM with a synthetic nonce (HMAC-SHA-256 of the secret under a second derived key): the same
/// secret always gives the same text, so a saved file does not change when nothing changed, and editors comparing
/// entries see no difference; the cost is that equal secrets are visibly equal.
/// </summary>
internal static class SecretCipher
{
    public const string Label = "sharpswan-aes256gcm$";

    private const int NonceLength = 12;
    private const int TagLength = 16;
    private static readonly byte[] AssociatedData = "sharpswan-secret-v1"u8.ToArray();

    public static bool IsOwnForm(string value) => value.StartsWith(Label, StringComparison.Ordinal);

    public static string Seal(SecretKeyring keyring, ReadOnlySpan<byte> plaintext)
    {
        var (encryptionKey, nonceKey) = Derive(keyring.KeyForWriting());
        var nonce = HMACSHA256.HashData(nonceKey, plaintext)[..NonceLength];
        var sealedBytes = new byte[NonceLength + plaintext.Length + TagLength];
        nonce.CopyTo(sealedBytes, 0);
        using var aes = new AesGcm(encryptionKey, TagLength);
        aes.Encrypt(
            nonce,
            plaintext,
            sealedBytes.AsSpan(NonceLength, plaintext.Length),
            sealedBytes.AsSpan(NonceLength + plaintext.Length),
            AssociatedData);
        return Label + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The secret, or null with the reason (which never contains any part of the value).</summary>
    public static byte[]? Open(SecretKeyring keyring, string value, out string error)
    {
        error = "";
        var bytes = new byte[value.Length];
        if (!IsOwnForm(value)
            || !Convert.TryFromBase64String(value[Label.Length..], bytes, out var length)
            || length < NonceLength + TagLength + 1)
        {
            error = "ENC value is damaged (not SharpSwan's encrypted form)";
            return null;
        }

        byte[]? key;
        try
        {
            key = keyring.KeyForReading();
        }
        catch (IOException e)
        {
            error = $"cannot be decrypted: {e.Message}";
            return null;
        }

        var notHere = $"was encrypted with a SharpSwan key that is not here ({keyring.KeyFile ?? "this process's key"}): set the secret again in clear text";
        if (key is null)
        {
            error = notHere;
            return null;
        }

        var (encryptionKey, _) = Derive(key);
        var plaintext = new byte[length - NonceLength - TagLength];
        try
        {
            using var aes = new AesGcm(encryptionKey, TagLength);
            aes.Decrypt(
                bytes.AsSpan(0, NonceLength),
                bytes.AsSpan(NonceLength, plaintext.Length),
                bytes.AsSpan(NonceLength + plaintext.Length, TagLength),
                plaintext,
                AssociatedData);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            error = notHere;
            return null;
        }
    }

    private static (byte[] Encryption, byte[] Nonce) Derive(byte[] key) =>
        (HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, info: Encoding.ASCII.GetBytes("sharpswan secret encryption")),
         HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, info: Encoding.ASCII.GetBytes("sharpswan secret nonce")));
}
