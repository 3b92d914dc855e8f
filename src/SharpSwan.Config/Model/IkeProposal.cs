using System.Diagnostics.CodeAnalysis;
using SharpSwan.Crypto;

namespace SharpSwan.Config;

/// <summary>
/// One phase 1 <c>proposal</c> value, e.g. <c>aes128-sha256</c> (AES-CBC-128, HMAC-SHA-256-128, PRF HMAC-SHA-256)
/// or <c>aes256gcm-prfsha384</c> (AES-GCM-16-256, no separate integrity, PRF HMAC-SHA-384).
/// </summary>
/// <param name="Encryption">IKEv2 encryption transform.</param>
/// <param name="KeyBits">Cipher key length in bits.</param>
/// <param name="Integrity">IKEv2 integrity transform; <see cref="IntegrityAlgorithm.None"/> for AEAD ciphers.</param>
/// <param name="Prf">IKEv2 pseudo-random function.</param>
/// <param name="Name">The FortiOS spelling, as written back to the file.</param>
public sealed record IkeProposal(
    EncryptionAlgorithm Encryption,
    int KeyBits,
    IntegrityAlgorithm Integrity,
    PseudoRandomFunction Prf,
    string Name)
{
    public bool IsAead => Integrity == IntegrityAlgorithm.None;

    /// <summary>Why this proposal is weak (3DES, DES, MD5), or null: configuration warns, the tunnel still negotiates it.</summary>
    public string? Weakness => ProposalNames.Weakness(Encryption, Integrity);

    public static IkeProposal Parse(string name) =>
        TryParse(name, out var proposal, out var error) ? proposal : throw new FormatException(error);

    public static bool TryParse(string? name, [NotNullWhen(true)] out IkeProposal? proposal, out string error)
    {
        proposal = null;
        var text = (name ?? "").ToLowerInvariant();
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || dash == text.Length - 1)
        {
            error = $"'{name}' is not a phase 1 proposal (expected <cipher>-<hash> or <aead>-prf<hash>)";
            return false;
        }

        var cipher = text[..dash];
        var hash = text[(dash + 1)..];

        if (ProposalNames.TryAeadCipher(cipher, out var aead, out var aeadBits))
        {
            if (!hash.StartsWith("prf", StringComparison.Ordinal)
                || !ProposalNames.TryPrf(hash[3..], out var aeadPrf))
            {
                error = $"'{name}' is not a phase 1 proposal: {cipher} takes prfsha1, prfsha256, prfsha384 or prfsha512";
                return false;
            }

            proposal = new IkeProposal(aead, aeadBits, IntegrityAlgorithm.None, aeadPrf, text);
            error = "";
            return true;
        }

        if (!ProposalNames.TryCbcCipher(cipher, out var encryption, out var keyBits))
        {
            error = cipher switch
            {
                _ when ProposalNames.UnsupportedCiphers.Contains(cipher) =>
                    $"{cipher} is unsupported by SharpSwan (phase 1 ciphers: aes128, aes256, aes128gcm, aes256gcm, chacha20poly1305, and for old peers 3des, des)",
                "null" => $"'{name}': phase 1 cannot use null encryption (RFC 7296: the IKE SA is always encrypted; FortiOS does not offer it either)",
                _ => $"'{name}' is not a phase 1 proposal (unknown cipher '{cipher}')",
            };
            return false;
        }

        if (!ProposalNames.TryIntegrity(hash, out var integrity) || !ProposalNames.TryPrf(hash, out var prf))
        {
            error = $"'{name}' is not a phase 1 proposal (unknown hash '{hash}')";
            return false;
        }

        proposal = new IkeProposal(encryption, keyBits, integrity, prf, text);
        error = "";
        return true;
    }

    public override string ToString() => Name;
}
