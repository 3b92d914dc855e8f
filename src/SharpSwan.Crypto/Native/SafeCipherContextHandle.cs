using Microsoft.Win32.SafeHandles;

namespace SharpSwan.Crypto.Native;

/// <summary>
/// Owns an EVP_CIPHER_CTX. Freeing it resets the context, and OpenSSL's providers clear their key schedules with
/// OPENSSL_clear_free when they release them, so the key goes with the handle.
/// </summary>
internal sealed class SafeCipherContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeCipherContextHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        LibCrypto.EvpCipherCtxFree(handle);
        return true;
    }
}
