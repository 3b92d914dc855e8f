using Microsoft.Win32.SafeHandles;

namespace SharpSwan.Crypto.Native;

/// <summary>
/// Owns an EVP_MAC_CTX. OpenSSL's HMAC provider keeps the key in secure memory and clears it (and the inner and
/// outer digest states) when the context is freed.
/// </summary>
internal sealed class SafeMacContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeMacContextHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        LibCrypto.EvpMacCtxFree(handle);
        return true;
    }
}
