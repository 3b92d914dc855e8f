using System.Diagnostics.CodeAnalysis;
using SharpSwan.Crypto;

namespace SharpSwan.Config;

/// <summary>
/// One phase 2 <c>proposal</c> value, e.g. <c>aes128-sha256</c> (AES-CBC-128 with HMAC-SHA-256-128)
/// or the AEAD values <c>aes128gcm</c>, <c>aes256gcm</c>, <c>chacha20poly1305</c>.
/// </summary>
/// <param name="Encryption">ESP encryption transform.</param>
/// <param name="KeyBits">Cipher key length in bits.</param>
/// <param name="Integrity">ESP integrity transform; <see cref="IntegrityAlgorithm.None"/> for AEAD ciphers.</param>
/// <param name="Name">The FortiOS spelling, as written back to the file.</param>
public sealed record EspProposal(EncryptionAlgorithm Encryption, int KeyBits, IntegrityAlgorithm Integrity, string Name)
{
    /// <summary>FortiOS's list for a new phase 2 (used when <c>proposal</c> is not set).</summary>
    public static readonly IReadOnlyList<string> DefaultNames =
        ["aes128-sha1", "aes256-sha1", "aes128-sha256", "aes256-sha256", "aes128gcm", "aes256gcm", "chacha20poly1305"];

    public bool IsAead => Integrity == IntegrityAlgorithm.None;

    /// <summary>Why this proposal is weak (3DES, DES, NULL, MD5), or null: configuration warns, the tunnel still negotiates it.</summary>
    public string? Weakness => ProposalNames.Weakness(Encryption, Integrity);

    public static EspProposal Parse(string name) =>
        TryParse(name, out var proposal, out var error) ? proposal : throw new FormatException(error);

    public static bool TryParse(string? name, [NotNullWhen(true)] out EspProposal? proposal, out string error)
    {
        proposal = null;
        var text = (name ?? "").ToLowerInvariant();

        if (ProposalNames.TryAeadCipher(text, out var aead, out var aeadBits))
        {
            proposal = new EspProposal(aead, aeadBits, IntegrityAlgorithm.None, text);
            error = "";
            return true;
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || dash == text.Length - 1)
        {
            error = $"'{name}' is not a phase 2 proposal (expected <cipher>-<hash>, aes128gcm, aes256gcm or chacha20poly1305)";
            return false;
        }

        var cipher = text[..dash];
        var hash = text[(dash + 1)..];
        var encryption = EncryptionAlgorithm.Null;
        var keyBits = 0;
        if (cipher != "null" && !ProposalNames.TryCbcCipher(cipher, out encryption, out keyBits))
        {
            error = ProposalNames.UnsupportedCiphers.Contains(cipher)
                ? $"{cipher} is unsupported by SharpSwan (phase 2 ciphers: aes128, aes256, aes128gcm, aes256gcm, chacha20poly1305, and for old peers 3des, des, null)"
                : $"'{name}' is not a phase 2 proposal (unknown cipher '{cipher}')";
            return false;
        }

        if (hash == "null")
        {
            // FortiOS offers encryption without integrity; ESP then cannot detect forged or replayed packets (RFC 4303 §3.2).
            error = $"'{name}': a phase 2 without integrity (hash null) is unsupported by SharpSwan, as forged packets would go undetected; use {cipher}-sha256";
            return false;
        }

        if (!ProposalNames.TryIntegrity(hash, out var integrity))
        {
            error = $"'{name}' is not a phase 2 proposal (unknown hash '{hash}')";
            return false;
        }

        proposal = new EspProposal(encryption, keyBits, integrity, text);
        error = "";
        return true;
    }

    public override string ToString() => Name;
}
