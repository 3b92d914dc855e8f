using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SharpSwan.Crypto.Native;

/// <summary>
/// The few OpenSSL 3 libcrypto entry points the packet protectors use: the same library .NET's own crypto shim
/// loads on Linux, called directly so one packet costs a handful of cheap calls and no error-queue clearing.
/// </summary>
/// <remarks>
/// The per-packet imports keep the ordinary GC transition: [SuppressGCTransition] would save a few nanoseconds a
/// call, but on this shared machine its effect was below the noise of the measurement, so it is not used.
/// </remarks>
internal static unsafe partial class LibCrypto
{
    public const string Library = "libcrypto.so.3";

    public const int CtrlAeadGetTag = 0x10;
    public const int CtrlAeadSetTag = 0x11;

    [LibraryImport(Library, EntryPoint = "OpenSSL_version_num")]
    public static partial nuint OpenSslVersionNumber();

    [LibraryImport(Library, EntryPoint = "ERR_clear_error")]
    public static partial void ErrClearError();

    [LibraryImport(Library, EntryPoint = "EVP_CIPHER_fetch")]
    public static partial nint EvpCipherFetch(nint libraryContext, byte* algorithm, byte* properties);

    [LibraryImport(Library, EntryPoint = "EVP_CIPHER_CTX_new")]
    public static partial SafeCipherContextHandle EvpCipherCtxNew();

    [LibraryImport(Library, EntryPoint = "EVP_CIPHER_CTX_free")]
    public static partial void EvpCipherCtxFree(nint context);

    [LibraryImport(Library, EntryPoint = "EVP_CIPHER_CTX_set_padding")]
    public static partial int EvpCipherCtxSetPadding(SafeCipherContextHandle context, int padding);

    [LibraryImport(Library, EntryPoint = "EVP_CipherInit_ex")]
    public static partial int EvpCipherInitKey(SafeCipherContextHandle context, nint cipher, nint engine, byte* key, byte* iv, int encrypt);

    [LibraryImport(Library, EntryPoint = "EVP_CipherInit_ex")]
    public static partial int EvpCipherInit(nint context, nint cipher, nint engine, byte* key, byte* iv, int encrypt);

    [LibraryImport(Library, EntryPoint = "EVP_CipherUpdate")]
    public static partial int EvpCipherUpdate(nint context, byte* output, int* outputLength, byte* input, int inputLength);

    [LibraryImport(Library, EntryPoint = "EVP_CipherFinal_ex")]
    public static partial int EvpCipherFinal(nint context, byte* output, int* outputLength);

    [LibraryImport(Library, EntryPoint = "EVP_CIPHER_CTX_ctrl")]
    public static partial int EvpCipherCtxCtrl(nint context, int type, int argument, byte* pointer);

    [LibraryImport(Library, EntryPoint = "EVP_MAC_fetch")]
    public static partial nint EvpMacFetch(nint libraryContext, byte* algorithm, byte* properties);

    [LibraryImport(Library, EntryPoint = "EVP_MAC_CTX_new")]
    public static partial SafeMacContextHandle EvpMacCtxNew(nint mac);

    [LibraryImport(Library, EntryPoint = "EVP_MAC_CTX_free")]
    public static partial void EvpMacCtxFree(nint context);

    [LibraryImport(Library, EntryPoint = "EVP_MAC_init")]
    public static partial int EvpMacInitKey(SafeMacContextHandle context, byte* key, nuint keyLength, OsslParam* parameters);

    [LibraryImport(Library, EntryPoint = "EVP_MAC_init")]
    public static partial int EvpMacInit(nint context, byte* key, nuint keyLength, OsslParam* parameters);

    [LibraryImport(Library, EntryPoint = "EVP_MAC_update")]
    public static partial int EvpMacUpdate(nint context, byte* data, nuint length);

    [LibraryImport(Library, EntryPoint = "EVP_MAC_final")]
    public static partial int EvpMacFinal(nint context, byte* output, nuint* outputLength, nuint outputSize);

    /// <summary>OpenSSL's OSSL_PARAM, used only to name the HMAC digest when a MAC context is keyed.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct OsslParam
    {
        public const uint Utf8String = 4;

        public byte* Key;
        public uint DataType;
        public void* Data;
        public nuint DataSize;
        public nuint ReturnSize;
    }

    /// <summary>Feeds <paramref name="input"/> through the cipher in place (or as AAD when output is null).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CipherUpdate(nint context, byte* output, byte* input, int length)
    {
        int written;
        return EvpCipherUpdate(context, output, &written, input, length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int MacUpdate(nint context, byte* data, int length) => EvpMacUpdate(context, data, (nuint)length);
}
