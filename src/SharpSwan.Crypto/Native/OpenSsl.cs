using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;

namespace SharpSwan.Crypto.Native;

/// <summary>
/// Whether OpenSSL 3's libcrypto can be used directly here, and the algorithm objects fetched from it once per
/// process (an SA only creates contexts from them; fetching per SA would cost a provider lookup each time).
/// </summary>
internal static unsafe class OpenSsl
{
    private static readonly ConcurrentDictionary<string, nint> Ciphers = new(StringComparer.Ordinal);
    private static readonly Lazy<bool> Available = new(Probe);
    private static readonly Lazy<nint> HmacAlgorithm = new(() => Fetch("HMAC", isMac: true));

    /// <summary>True when libcrypto.so.3 loads and is OpenSSL 3.0 or later (EVP_MAC and provider fetches).</summary>
    public static bool IsAvailable => Available.Value;

    /// <summary>The fetched EVP_CIPHER for an OpenSSL algorithm name, or 0 when the providers lack it.</summary>
    public static nint Cipher(string name) =>
        IsAvailable ? Ciphers.GetOrAdd(name, static n => Fetch(n, isMac: false)) : 0;

    /// <summary>The fetched HMAC EVP_MAC, or 0.</summary>
    public static nint Hmac => IsAvailable ? HmacAlgorithm.Value : 0;

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad(LibCrypto.Library, out var library))
        {
            return false;
        }

        // Resolving the exports up front turns a missing symbol into "use .NET" instead of an exception mid-packet.
        string[] required =
        [
            "OpenSSL_version_num", "ERR_clear_error", "EVP_CIPHER_fetch", "EVP_CIPHER_CTX_new", "EVP_CIPHER_CTX_free",
            "EVP_CIPHER_CTX_set_padding", "EVP_CipherInit_ex", "EVP_CipherUpdate", "EVP_CipherFinal_ex",
            "EVP_CIPHER_CTX_ctrl", "EVP_MAC_fetch", "EVP_MAC_CTX_new", "EVP_MAC_CTX_free", "EVP_MAC_init",
            "EVP_MAC_update", "EVP_MAC_final",
        ];
        if (required.Any(name => !NativeLibrary.TryGetExport(library, name, out _)))
        {
            return false;
        }

        return LibCrypto.OpenSslVersionNumber() >= 0x30000000;
    }

    private static nint Fetch(string name, bool isMac)
    {
        var bytes = Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* algorithm = bytes)
        {
            var result = isMac ? LibCrypto.EvpMacFetch(0, algorithm, null) : LibCrypto.EvpCipherFetch(0, algorithm, null);
            if (result == 0)
            {
                LibCrypto.ErrClearError();
            }

            return result;
        }
    }
}
