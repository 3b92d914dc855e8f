namespace SharpSwan.Crypto;

/// <summary>Which implementation a packet protector runs on.</summary>
internal enum CryptoBackend
{
    /// <summary>OpenSSL's libcrypto when it can be loaded, .NET otherwise (what <see cref="PacketProtector.Create"/> uses).</summary>
    Preferred,

    /// <summary>.NET's AesGcm, ChaCha20Poly1305, Aes and IncrementalHash.</summary>
    Managed,

    /// <summary>OpenSSL 3 libcrypto through <see cref="Native.LibCrypto"/>, one context keyed per SA.</summary>
    OpenSsl,
}
