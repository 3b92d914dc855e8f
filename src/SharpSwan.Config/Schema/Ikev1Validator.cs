using SharpSwan.Crypto;

namespace SharpSwan.Config;

/// <summary>
/// What SharpSwan's IKEv1 does and does not do yet, as configuration errors with a reason: main and aggressive mode with
/// pre-shared keys between static peers, main mode with certificates (RSA/ECDSA signatures), main mode as a dial-up
/// server (type dynamic, one per local address: main mode finds its pre-shared key by that address alone), quick mode
/// with or without PFS, RFC 3947 NAT traversal, informational DELETE and RFC 3706 dead peer detection are implemented;
/// aggressive mode with certificates, type ddns, aggressive-mode dial-up, XAUTH and mode-config are refused, as are
/// proposals that have no IKEv1 form, and aggressive mode with several DH groups.
/// </summary>
internal static class Ikev1Validator
{
    public static void ValidatePhase1(Phase1Settings settings, RawEntry entry, string what, DiagnosticBag diagnostics)
    {
        if (settings.IkeVersion != 1)
        {
            Refuse(entry, "mode", settings.Mode == Ikev1Mode.Aggressive, $"{what}: mode aggressive is an IKEv1 exchange; with ike-version 2 it cannot apply (set mode main, or set ike-version 1)", diagnostics);
            return;
        }

        string prefix = $"{what}: with ike-version 1 (IKEv1, the FortiOS default)";
        Refuse(entry, "type", settings.Type == Phase1Type.Ddns, $"{prefix} type ddns is not implemented (use type static with the peer's address, or type dynamic)", diagnostics);
        Refuse(entry, "mode", settings.Mode == Ikev1Mode.Aggressive && settings.Type == Phase1Type.Dynamic, $"{prefix} and type dynamic, only main mode is implemented; an aggressive-mode dial-up server is not (set mode main)", diagnostics);
        // Aggressive mode carries the initiator's KE in its first message, so only one DH group can be offered or accepted.
        Refuse(entry, "dhgrp", settings.Mode == Ikev1Mode.Aggressive && settings.DhGroups.Length > 1, $"{prefix} and mode aggressive, dhgrp must be one group: aggressive mode sends its key exchange in the first message, so the group cannot be negotiated", diagnostics);
        Refuse(entry, "authmethod", settings.Authmethod != AuthMethod.Psk && settings.Mode == Ikev1Mode.Aggressive, $"{prefix} and mode aggressive, only pre-shared keys are implemented; certificate authentication is implemented in main mode (set mode main, or authmethod psk)", diagnostics);
        Refuse(entry, "esn", settings.Esn == EsnMode.Require, $"{prefix} SharpSwan's quick mode negotiates 32-bit sequence numbers only; extended sequence numbers are implemented for IKEv2 (set esn allow or disable, or use ike-version 2)", diagnostics);
        Refuse(entry, "mode-cfg", settings.ModeCfg, $"{prefix} IKEv1 mode-config is not implemented (set mode-cfg disable, or use ike-version 2)", diagnostics);
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

    /// <summary>
    /// Main mode with a pre-shared key must pick the key before the peer names itself, so only the address it reached tells
    /// dial-up phase 1s apart: a second IKEv1 dynamic phase 1 on the same interface and local-gw would never be used.
    /// </summary>
    public static void ValidateDialUps(IReadOnlyList<Phase1Draft> phase1, DiagnosticBag diagnostics)
    {
        var seen = new HashSet<(string, System.Net.IPAddress)>();
        foreach (var draft in phase1.Where(d => d.Settings is { IkeVersion: 1, Type: Phase1Type.Dynamic }))
        {
            var settings = draft.Settings;
            if (!seen.Add((settings.Interface, settings.LocalGateway)))
            {
                Refuse(draft.Entry, "type", true, $"phase1 \"{settings.Name}\": another IKEv1 dial-up phase1 already listens on {settings.Interface}; IKEv1 main mode chooses its pre-shared key by local address before the peer's ID is known, so only one IKEv1 type dynamic phase1 per interface and local-gw can be used", diagnostics);
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

    /// <summary>
    /// Reports the field at its value when it was written, else (a refused default) at the entry as "MUST be set". Every
    /// refusal here depends on ike-version, so it is a cross-field error: the CLI editor reports it when the entry is closed.
    /// </summary>
    private static void Refuse(RawEntry entry, string field, bool refused, string reason, DiagnosticBag diagnostics, ConfigToken? at = null)
    {
        if (!refused)
        {
            return;
        }

        if ((at ?? entry.Find(field)?.Values.FirstOrDefault()) is { } value)
        {
            diagnostics.CrossFieldError(field, value, reason);
        }
        else
        {
            diagnostics.MustBeSet(field, entry.NameToken, reason);
        }
    }
}
