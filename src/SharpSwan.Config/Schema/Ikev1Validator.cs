using SharpSwan.Crypto;

namespace SharpSwan.Config;

/// <summary>
/// What SharpSwan's IKEv1 does and does not do yet, as configuration errors with a reason: main mode with pre-shared keys
/// between static peers, quick mode with or without PFS, RFC 3947 NAT traversal and informational DELETE are implemented;
/// aggressive mode, certificates, dial-up, XAUTH, mode-config and IKEv1 dead peer detection are refused, as are proposals
/// that have no IKEv1 form.
/// </summary>
internal static class Ikev1Validator
{
    public static void ValidatePhase1(Phase1Settings settings, RawEntry entry, string what, DiagnosticBag diagnostics)
    {
        if (settings.IkeVersion != 1)
        {
            return;
        }

        string prefix = $"{what}: with ike-version 1 (IKEv1, the FortiOS default)";
        Refuse(entry, "type", settings.Type != Phase1Type.Static, $"{prefix} only type static is implemented; IKEv1 dial-up is not (use ike-version 2 for dial-up)", diagnostics);
        Refuse(entry, "mode", entry.Find("mode") is { Values: [{ Text: "aggressive" }, ..] }, $"{prefix} only main mode is implemented; aggressive mode is not (set mode main)", diagnostics);
        Refuse(entry, "authmethod", settings.Authmethod != AuthMethod.Psk, $"{prefix} only pre-shared keys are implemented; IKEv1 certificate authentication is not (set authmethod psk, or use ike-version 2)", diagnostics);
        Refuse(entry, "mode-cfg", settings.ModeCfg, $"{prefix} IKEv1 mode-config is not implemented (set mode-cfg disable, or use ike-version 2)", diagnostics);
        Refuse(entry, "dpd", settings.Dpd != DpdMode.Disable, $"{prefix} dead peer detection (RFC 3706) is not implemented yet; FortiOS defaults to dpd on-demand, so set dpd disable", diagnostics);
        // Only written proposals are refused; of SharpSwan's default list (used when none is set) IKEv1 offers the CBC ones.
        foreach (var token in entry.Find("proposal")?.Values ?? [])
        {
            if (settings.Proposals.FirstOrDefault(p => string.Equals(p.Name, token.Text, StringComparison.OrdinalIgnoreCase)) is not { } proposal)
            {
                continue;
            }

            if (proposal.Encryption != EncryptionAlgorithm.AesCbc)
            {
                var why = proposal.IsAead ? "IKEv1 phase 1 encrypts with CBC ciphers only" : "SharpSwan's IKEv1 implements AES-CBC only; 3DES and DES are negotiable with ike-version 2";
                Refuse(entry, "proposal", true, $"{prefix} phase 1 proposal {proposal.Name} has no IKEv1 form here ({why}: use aes128-sha256, aes256-sha256, ...)", diagnostics, token);
            }
            else if (proposal.Integrity == IntegrityAlgorithm.HmacMd5_96)
            {
                Refuse(entry, "proposal", true, $"{prefix} phase 1 proposal {proposal.Name}: SharpSwan's IKEv1 does not implement the MD5 hash (md5 is negotiable with ike-version 2; use sha1 or sha256 here)", diagnostics, token);
            }
        }
    }

    public static void ValidatePhase2(Phase2Settings settings, RawEntry entry, string what, DiagnosticBag diagnostics)
    {
        foreach (var token in entry.Find("proposal")?.Values ?? [])
        {
            if (settings.Proposals.FirstOrDefault(p => string.Equals(p.Name, token.Text, StringComparison.OrdinalIgnoreCase)) is { } proposal
                && (proposal.Encryption is not (EncryptionAlgorithm.AesCbc or EncryptionAlgorithm.AesGcm16) || proposal.Integrity == IntegrityAlgorithm.HmacMd5_96))
            {
                Refuse(entry, "proposal", true, $"{what}: its phase1 uses ike-version 1, and {proposal.Name} has no IKEv1 ESP transform in SharpSwan (use AES-CBC with sha1/sha2, or AES-GCM; 3DES, DES, NULL and MD5 are negotiable with ike-version 2)", diagnostics, token);
            }
        }
    }

    /// <summary>Reports the field at its value when it was written, else (a refused default) at the entry as "MUST be set".</summary>
    private static void Refuse(RawEntry entry, string field, bool refused, string reason, DiagnosticBag diagnostics, ConfigToken? at = null)
    {
        if (!refused)
        {
            return;
        }

        if ((at ?? entry.Find(field)?.Values.FirstOrDefault()) is { } value)
        {
            diagnostics.ValueParseError(field, value, reason);
        }
        else
        {
            diagnostics.MustBeSet(field, entry.NameToken, reason);
        }
    }
}
