using SharpSwan.Crypto;

namespace SharpSwan.Config;

/// <summary>
/// What SharpSwan's IKEv1 does and does not do yet, as configuration errors with a reason: main and aggressive mode with
/// pre-shared keys between static peers, main mode with certificates (RSA/ECDSA signatures) and aggressive mode with them
/// between static peers, main mode as a dial-up server (type dynamic, one per local address: main mode finds its
/// pre-shared key by that address alone), aggressive mode as a dial-up server (several per local address, chosen by the
/// peer's ID against peerid), quick mode with or without PFS, RFC 3947 NAT traversal, informational DELETE, RFC 3706 dead
/// peer detection, and on a dial-up phase 1 an XAUTH server (pap, chap, auto) and mode-config address pools (pull and
/// push) are implemented, as are the XAUTH client (xauthtype client, authusr, authpasswd) after main or aggressive mode
/// and the mode-config client (mode-cfg enable, taking the server's pushed address) after main mode on a static phase 1;
/// aggressive-mode dial-up with certificates, type ddns and the mode-config client after aggressive mode are refused, as
/// are proposals that have no IKEv1 form, and aggressive mode with several DH groups.
/// </summary>
internal static class Ikev1Validator
{
    public static void ValidatePhase1(Phase1Settings settings, RawEntry entry, string what, DiagnosticBag diagnostics)
    {
        if (settings.IkeVersion != 1)
        {
            Refuse(entry, "mode", settings.Mode == Ikev1Mode.Aggressive, $"{what}: mode aggressive is an IKEv1 exchange; with ike-version 2 it cannot apply (set mode main, or set ike-version 1)", diagnostics);
            Refuse(entry, "xauthtype", settings.XauthType != XauthType.Disable, $"{what}: XAUTH is an IKEv1 exchange; with ike-version 2 it cannot apply and EAP is not implemented (set xauthtype disable, or set ike-version 1)", diagnostics);
            Refuse(entry, "authusrgrp", settings.AuthUserGroup is not null, $"{what}: authusrgrp names the users of an IKEv1 XAUTH server; with ike-version 2 it would need EAP, which is not implemented (unset authusrgrp)", diagnostics);
            Refuse(entry, "authusr", settings.AuthUser is not null, $"{what}: authusr is the user name of an IKEv1 XAUTH client; with ike-version 2 it would need EAP, which is not implemented (unset authusr)", diagnostics);
            Refuse(entry, "authpasswd", settings.AuthPassword is not null, $"{what}: authpasswd is the password of an IKEv1 XAUTH client; with ike-version 2 it would need EAP, which is not implemented (unset authpasswd)", diagnostics);
            return;
        }

        string prefix = $"{what}: with ike-version 1 (IKEv1, the FortiOS default)";
        Refuse(entry, "type", settings.Type == Phase1Type.Ddns, $"{prefix} type ddns is not implemented (use type static with the peer's address, or type dynamic)", diagnostics);
        // Aggressive mode carries the initiator's KE in its first message, so only one DH group can be offered or accepted.
        Refuse(entry, "dhgrp", settings.Mode == Ikev1Mode.Aggressive && settings.DhGroups.Length > 1, $"{prefix} and mode aggressive, dhgrp must be one group: aggressive mode sends its key exchange in the first message, so the group cannot be negotiated", diagnostics);
        Refuse(entry, "authmethod", settings.Authmethod != AuthMethod.Psk && settings.Mode == Ikev1Mode.Aggressive && settings.Type == Phase1Type.Dynamic, $"{prefix}, mode aggressive and type dynamic, only pre-shared keys are implemented; certificate authentication is implemented in main mode, and in aggressive mode between static peers (set mode main, or authmethod psk)", diagnostics);
        Refuse(entry, "esn", settings.Esn == EsnMode.Require, $"{prefix} SharpSwan's quick mode negotiates 32-bit sequence numbers only; extended sequence numbers are implemented for IKEv2 (set esn allow or disable, or use ike-version 2)", diagnostics);
        Refuse(entry, "mode-cfg", settings.ModeCfg && settings.Type != Phase1Type.Dynamic && settings.Mode == Ikev1Mode.Aggressive, $"{prefix} SharpSwan is a mode-config client after main mode only (set mode main, or mode-cfg disable)", diagnostics);
        ValidateXauth(settings, entry, prefix, diagnostics);
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

    private static void ValidateXauth(Phase1Settings settings, RawEntry entry, string prefix, DiagnosticBag diagnostics)
    {
        bool client = settings.XauthType == XauthType.Client;
        Refuse(entry, "xauthtype", client && settings.Type == Phase1Type.Dynamic, $"{prefix} xauthtype client makes SharpSwan log in to the peer, which a dial-up phase1 never dials (set type static, or xauthtype pap, chap or auto for the server)", diagnostics);
        Refuse(entry, "authusr", settings.AuthUser is not null && !client, $"{prefix} authusr is the user name of the XAUTH client, and xauthtype is not client: it would be ignored (set xauthtype client, or unset authusr)", diagnostics);
        Refuse(entry, "authpasswd", settings.AuthPassword is not null && !client, $"{prefix} authpasswd is the password of the XAUTH client, and xauthtype is not client: it would be ignored (set xauthtype client, or unset authpasswd)", diagnostics);
        if (client && settings.AuthUser is null && entry.Find("authusr") is null)
        {
            diagnostics.MustBeSet("authusr", entry.NameToken, $"{prefix} and xauthtype client, the XAUTH client needs its user name (set authusr)");
        }

        if (client && settings.AuthPassword is null && entry.Find("authpasswd") is null)
        {
            diagnostics.MustBeSet("authpasswd", entry.NameToken, $"{prefix} and xauthtype client, the XAUTH client needs its password (set authpasswd)");
        }

        // The XAUTH methods for signatures (XAUTHInitRSA/ECDSA) are not built: XAUTH rides on XAUTHInitPreShared only.
        Refuse(entry, "xauthtype", settings.XauthType != XauthType.Disable && settings.Authmethod != AuthMethod.Psk, $"{prefix} XAUTH is implemented with pre-shared keys only (XAUTHInitPreShared); after certificate authentication it is not (set authmethod psk, or xauthtype disable)", diagnostics);
        Refuse(entry, "xauthtype", settings.IsXauthServer && settings.Type != Phase1Type.Dynamic, $"{prefix} an XAUTH server is implemented on a dial-up phase1 only (set type dynamic, or xauthtype disable)", diagnostics);
        Refuse(entry, "authusrgrp", settings.AuthUserGroup is not null && !settings.IsXauthServer, $"{prefix} authusrgrp is read only by the XAUTH server, and xauthtype is not pap, chap or auto: it would be ignored (set xauthtype pap, chap or auto, or unset authusrgrp)", diagnostics);
        if (settings.IsXauthServer && settings.AuthUserGroup is null && entry.Find("authusrgrp") is null)
        {
            diagnostics.MustBeSet("authusrgrp", entry.NameToken, $"{prefix} and xauthtype {Keywords.XauthTypes.Format(settings.XauthType)}, the XAUTH server needs the config user group whose local users may log in (set authusrgrp)");
        }
    }

    /// <summary>authusrgrp must name a <c>config user group</c>: refused at its line otherwise.</summary>
    public static void ValidateXauthGroups(IReadOnlyList<Phase1Draft> phase1, IReadOnlyList<UserGroup> groups, DiagnosticBag diagnostics)
    {
        foreach (var draft in phase1)
        {
            if (draft.Settings.AuthUserGroup is { } name && !groups.Any(g => g.Name == name) && draft.Entry.Find("authusrgrp")?.Values.FirstOrDefault() is { } token)
            {
                diagnostics.EntryNotFound("authusrgrp", token, $"phase1 \"{draft.Settings.Name}\" refers to user group \"{name}\", which does not exist (config {UserTables.GroupPath})");
            }
        }
    }

    /// <summary>
    /// Main mode with a pre-shared key must pick the key before the peer names itself, so only the address it reached tells
    /// main-mode dial-up phase 1s apart: a second IKEv1 main-mode dynamic phase 1 on the same interface and local-gw would
    /// never be used. Aggressive mode names the peer in its first message, so aggressive-mode dial-up phase 1s there are told
    /// apart by peerid (one without peerid takes any other ID): two with the same peerid, or two without, would leave the
    /// second unused.
    /// </summary>
    public static void ValidateDialUps(IReadOnlyList<Phase1Draft> phase1, DiagnosticBag diagnostics)
    {
        var seen = new HashSet<(string, System.Net.IPAddress, Ikev1Mode, string?)>();
        foreach (var draft in phase1.Where(d => d.Settings is { IkeVersion: 1, Type: Phase1Type.Dynamic }))
        {
            var settings = draft.Settings;
            string? peerId = settings.Mode == Ikev1Mode.Aggressive && ChecksPeerId(settings) ? settings.PeerId!.ToLowerInvariant() : null;
            if (seen.Add((settings.Interface, settings.LocalGateway, settings.Mode, peerId)))
            {
                continue;
            }

            if (settings.Mode == Ikev1Mode.Main)
            {
                Refuse(draft.Entry, "type", true, $"phase1 \"{settings.Name}\": another IKEv1 main-mode dial-up phase1 already listens on {settings.Interface}; IKEv1 main mode chooses its pre-shared key by local address before the peer's ID is known, so only one IKEv1 type dynamic phase1 per interface and local-gw can use main mode (aggressive-mode ones are told apart by peerid)", diagnostics);
            }
            else
            {
                string which = peerId is null ? "without a peerid (accepting any ID)" : $"with peerid \"{settings.PeerId}\"";
                Refuse(draft.Entry, peerId is null ? "type" : "peerid", true, $"phase1 \"{settings.Name}\": another IKEv1 aggressive-mode dial-up phase1 {which} already listens on {settings.Interface}; aggressive mode chooses the dial-up phase1 by the peer's ID, so this one would never be used (give each a different peerid with peertype one)", diagnostics);
            }
        }
    }

    /// <summary>Whether the phase 1 accepts only the peer ID <c>peerid</c> names (the engine's check): else it accepts any ID.</summary>
    private static bool ChecksPeerId(Phase1Settings settings) =>
        !string.IsNullOrEmpty(settings.PeerId) && settings.PeerType is PeerType.One or PeerType.Peer or PeerType.Any;

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
