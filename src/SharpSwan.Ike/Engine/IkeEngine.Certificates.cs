using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SharpSwan.Config;
using SharpSwan.Crypto.Certificates;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Wire;
using WireAuthMethod = SharpSwan.Ike.Wire.AuthMethod;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// Certificate authentication (<c>authmethod signature</c>): our certificates and trusted CAs from the configuration,
/// CERT/CERTREQ payloads, and RFC 7427 signatures (plus the older RFC 7296/4754 methods when a peer uses them).
/// </summary>
public sealed partial class IkeEngine : IIkeCredentials
{
    private const byte X509SignatureEncoding = 4;

    private Dictionary<string, LocalCredential> _credentials = new(StringComparer.Ordinal);

    // SHA-256 thumbprints of the configured CAs by name: a user peer's ca must be in the peer's validated chain.
    private readonly Dictionary<string, string> _caThumbprints = new(StringComparer.Ordinal);
    private TrustStore? _trust;

    // The credentials and CAs above, disposed when neither the engine nor a signature computed elsewhere uses them.
    private CredentialGeneration _credentialGeneration = new([]);

    /// <summary>Loads (again) the local certificates and CAs; bad entries are logged and left out, never fatal.</summary>
    private void LoadCredentials(GatewayConfiguration configuration)
    {
        // Signatures made or checked on another thread may still use the old ones: they go when that work is done.
        _credentialGeneration.Release();
        _credentials = new Dictionary<string, LocalCredential>(StringComparer.Ordinal);
        _trust = null;
        foreach (var local in configuration.LocalCertificates)
        {
            var key = Encoding.UTF8.GetString(local.PrivateKeyPem.Bytes);
            var password = local.Password is { } secret ? Encoding.UTF8.GetString(secret.Bytes) : null;
            if (LocalCredential.TryFromPem(local.CertificatePem, key, password, out var credential, out var error) && credential is not null)
            {
                _credentials[local.Name] = credential;
            }
            else
            {
                _log.Global(IkeLogLevel.Event, $"local certificate {local.Name} unusable: {error}");
            }
        }

        _caThumbprints.Clear();
        foreach (var ca in configuration.CaCertificates)
        {
            try
            {
                using var certificate = X509Certificate2.CreateFromPem(ca.CertificatePem);
                _caThumbprints[ca.Name] = certificate.GetCertHashString(HashAlgorithmName.SHA256);
            }
            catch (CryptographicException)
            {
                // Reported with the trust store below; a peer naming this CA then never matches.
            }
        }

        if (configuration.CaCertificates.Length > 0)
        {
            if (TrustStore.TryFromPem(configuration.CaCertificates.Select(c => c.CertificatePem), out var store, out var error))
            {
                _trust = new TrustStore(store!.Authorities) { RevocationLists = LoadRevocationLists(configuration) };
                store.Dispose();
            }
            else
            {
                _log.Global(IkeLogLevel.Event, $"CA certificates unusable: {error}");
            }
        }

        _credentialGeneration = new CredentialGeneration([.. _credentials.Values, .. _trust is null ? Array.Empty<IDisposable>() : [_trust]]);
    }

    /// <summary>The CRLs of <c>config vpn certificate crl</c>; one that does not parse (the loader checked it) is logged and left out.</summary>
    private List<RevocationList> LoadRevocationLists(GatewayConfiguration configuration)
    {
        var lists = new List<RevocationList>();
        foreach (var entry in configuration.RevocationLists)
        {
            if (RevocationList.TryFromPem(entry.CrlPem, out var parsed, out var error))
            {
                lists.AddRange(parsed);
            }
            else
            {
                _log.Global(IkeLogLevel.Event, $"CRL {entry.Name} unusable: {error}");
            }
        }

        return lists;
    }

    private LocalCredential? CredentialFor(Phase1Settings settings) =>
        settings.Certificate is { } name ? _credentials.GetValueOrDefault(name) : null;

    CertificateRequestPayload? IIkeCredentials.CertificateRequest() => CertificateRequest();

    IdentificationPayload IIkeCredentials.OwnIdentity(TunnelRuntime tunnel, IPAddress localAddress, bool isInitiator) => OwnIdentity(tunnel, localAddress, isInitiator);

    bool IIkeCredentials.TryAddOwnAuthentication(IkeSa sa, IdentificationPayload ourId, bool asInitiator, List<IkePayload> payloads, out OwnSignature? signature, out string error) =>
        TryAddOwnAuthentication(sa, ourId, asInitiator, payloads, out signature, out error);

    bool IIkeCredentials.VerifyPeerAuthentication(IkeSa sa, IkeMessage message, IdentificationPayload id, AuthenticationPayload auth, bool fromInitiator, out PeerSignatureCheck? check, out string reason) =>
        VerifyPeerAuthentication(sa, message, id, auth, fromInitiator, out check, out reason);

    bool IIkeCredentials.AcceptPeerSignature(IkeSa sa, PeerSignatureCheck check, out string reason) => AcceptPeerSignature(sa, check, out reason);

    /// <summary>CERTREQ naming every CA we trust (RFC 7296 §3.7), so the peer sends its certificate.</summary>
    private CertificateRequestPayload? CertificateRequest()
    {
        if (_trust is null || _trust.AuthorityKeyHashes.Count == 0)
        {
            return null;
        }

        return new CertificateRequestPayload(X509SignatureEncoding, _trust.AuthorityKeyHashes.SelectMany(h => h).ToArray());
    }

    private bool AnyDialupUsesSignature(IPAddress local) =>
        ConfiguredIndex().Templates.Any(t => t.Settings.Authmethod == Config.AuthMethod.Signature &&
                                (t.LocalAddress is null || t.LocalAddress.Equals(local) || t.LocalAddress.Equals(IPAddress.Any)));

    /// <summary>Our identity: <c>localid</c> when set, else the certificate's subject (signature) or our address.</summary>
    private IdentificationPayload OwnIdentity(TunnelRuntime tunnel, IPAddress localAddress, bool isInitiator)
    {
        if (string.IsNullOrEmpty(tunnel.Settings.LocalId) && tunnel.Settings.Authmethod == Config.AuthMethod.Signature && CredentialFor(tunnel.Settings) is { } credential)
        {
            return new IdentificationPayload(isInitiator, IdType.DerAsn1Dn, CertificateIdentity.SubjectDer(credential.Certificate));
        }

        return IkeIdentities.Local(tunnel, localAddress, isInitiator);
    }

    /// <summary>
    /// AUTH (and CERT before it) proving our identity, by PSK or by signature, as the phase 1 says. A PSK's AUTH is added
    /// here; for a signature the CERTs are, and the signature to make (on any thread) is handed back for AUTH.
    /// </summary>
    private bool TryAddOwnAuthentication(IkeSa sa, IdentificationPayload ourId, bool asInitiator, List<IkePayload> payloads, out OwnSignature? signature, out string error)
    {
        error = string.Empty;
        signature = null;
        var settings = sa.Tunnel.Settings;
        if (settings.Authmethod != Config.AuthMethod.Signature)
        {
            payloads.Add(new AuthenticationPayload(WireAuthMethod.SharedKeyMessageIntegrityCode, AuthOctets.Psk(sa, ourId, fromInitiator: asInitiator)));
            return true;
        }

        if (CredentialFor(settings) is not { } credential)
        {
            error = $"local certificate {settings.Certificate ?? "(none)"} is not loaded";
            return false;
        }

        payloads.Add(new CertificatePayload(X509SignatureEncoding, credential.CertificateDer));
        foreach (var intermediate in credential.ChainDer)
        {
            payloads.Add(new CertificatePayload(X509SignatureEncoding, intermediate));
        }

        signature = OwnSignature.OverOctets(credential, _credentialGeneration.Hold(), AuthOctets.Signed(sa, ourId, fromInitiator: asInitiator), sa.PeerSignatureHashes);
        return true;
    }

    /// <summary>
    /// Checks the peer's AUTH: the PSK MAC here; for a signature (its certificate trusted, in date, naming its ID, and the
    /// signature itself) the method is checked here and the expensive part, to run on any thread, handed back in
    /// <paramref name="check"/>; <see cref="AcceptPeerSignature"/> gives the verdict.
    /// </summary>
    private bool VerifyPeerAuthentication(IkeSa sa, IkeMessage message, IdentificationPayload id, AuthenticationPayload auth, bool fromInitiator, out PeerSignatureCheck? check, out string reason)
    {
        check = null;
        var settings = sa.Tunnel.Settings;
        if (settings.Authmethod != Config.AuthMethod.Signature)
        {
            return VerifyPeerPsk(sa, id, auth, fromInitiator, out reason);
        }

        if (auth.Method == WireAuthMethod.SharedKeyMessageIntegrityCode)
        {
            reason = "peer authenticates with a pre-shared key, phase1 expects a certificate signature";
            return false;
        }

        var certificates = message.FindAll<CertificatePayload>().Where(c => c.Encoding == X509SignatureEncoding).Select(c => c.Data).ToList();
        check = PeerSignatureCheck.OverOctets(_trust, _credentialGeneration.Hold(), certificates, id, auth, AuthOctets.Signed(sa, id, fromInitiator), Now);
        reason = string.Empty;
        return true;
    }

    /// <summary>
    /// The verdict on a peer's signature once its check ran: the certificate accepted (<see cref="AcceptChain"/>), then the
    /// signature. When accepted, the certificate stays with the SA.
    /// </summary>
    private bool AcceptPeerSignature(IkeSa sa, PeerSignatureCheck check, out string reason)
    {
        if (check.Chain is not { } chain)
        {
            // The check failed on its worker (the host completes it all the same): refused, as a bad signature would be.
            reason = "the peer's certificate and signature could not be checked";
            return false;
        }

        using (chain)
        {
            if (!AcceptChain(sa, chain, check.Id, out reason))
            {
                return false;
            }

            if (!check.SignatureValid)
            {
                reason = $"signature check failed for {chain.Leaf!.Subject}: {check.SignatureError}";
                return false;
            }

            KeepPeerCertificate(sa, chain.TakeLeaf());
            return true;
        }
    }

    /// <summary>
    /// The engine's part of accepting a peer's certificate whose chain was checked (maybe on another thread): a refusal by
    /// the trust store is published, then the phase 1's <c>peer</c>/<c>peergrp</c> and the peer's ID are checked.
    /// </summary>
    private bool AcceptChain(IkeSa sa, PeerCertificateChain chain, IdentificationPayload id, out string reason)
    {
        if (!chain.Trusted)
        {
            reason = chain.Reason;
            if (chain is { Verdict: { } verdict, Leaf: { } refused })
            {
                Publish(sa, new PeerCertificateRefused { Problem = verdict.Problem, Subject = refused.Subject, Reason = verdict.Reason });
            }

            return false;
        }

        var leaf = chain.Leaf!;
        if (PeerRuleProblem(sa.Tunnel.Settings, leaf, chain.Verdict!) is { } mismatch)
        {
            reason = mismatch;
            Publish(sa, new PeerCertificateRefused { Problem = CertificateProblem.PeerMismatch, Subject = leaf.Subject, Reason = mismatch });
            return false;
        }

        if (IkeIdentities.Kind(id.IdType) is not { } kind || !CertificateIdentity.Contains(leaf, kind, id.Data))
        {
            reason = $"peer identity {IkeIdentities.DescribeForCertificate(id)} is not in its certificate {leaf.Subject}";
            return false;
        }

        reason = string.Empty;
        return true;
    }

    /// <summary>The peer's authenticated certificate stays with its SA (diagnose output, a later peer check).</summary>
    private static void KeepPeerCertificate(IkeSa sa, X509Certificate2 leaf)
    {
        sa.PeerCertificate?.Dispose();
        sa.PeerCertificate = leaf;
    }

    /// <summary>
    /// With <c>peertype peer</c> and <c>peer</c>, the trusted certificate must match that <c>config user peer</c>; with
    /// <c>peertype peergrp</c>, one member of the group. Null when it does (or when no peer is named), else why not.
    /// </summary>
    private string? PeerRuleProblem(Phase1Settings settings, X509Certificate2 leaf, CertificateVerdict verdict)
    {
        IReadOnlyList<string> names = settings.PeerType switch
        {
            PeerType.Peer when settings.Peer is { } peer => [peer],
            PeerType.PeerGroup => Configuration.UserPeerGroups.FirstOrDefault(g => g.Name == settings.PeerGroup)?.Members ?? [],
            _ => [],
        };
        if (names.Count == 0 && settings.PeerType != PeerType.PeerGroup)
        {
            return null;
        }

        var why = new List<string>();
        foreach (var name in names)
        {
            if (Configuration.UserPeers.FirstOrDefault(p => p.Name == name) is not { } peer)
            {
                why.Add($"user peer {name} is not configured");
            }
            else if (peer.Ca is { } ca && (!_caThumbprints.TryGetValue(ca, out var thumbprint) || !verdict.ChainThumbprints.Contains(thumbprint, StringComparer.OrdinalIgnoreCase)))
            {
                why.Add($"user peer {name}: not issued under CA {ca}");
            }
            else if (!PeerCertificateRule.TryCreate(peer.Subject, peer.Cn, peer.CnType, out var rule, out var error))
            {
                why.Add($"user peer {name}: {error}");
            }
            else if (!rule.Matches(leaf, out var mismatch))
            {
                why.Add($"user peer {name}: {mismatch}");
            }
            else
            {
                return null;
            }
        }

        var what = settings.PeerType == PeerType.PeerGroup ? $"peergrp {settings.PeerGroup}" : $"peer {settings.Peer}";
        return $"certificate {leaf.Subject} is trusted but does not match {what} ({string.Join("; ", why)})";
    }

    /// <summary>The peer's PSK AUTH: the method a pre-shared key phase 1 expects, and the MAC our key gives.</summary>
    private static bool VerifyPeerPsk(IkeSa sa, IdentificationPayload id, AuthenticationPayload auth, bool fromInitiator, out string reason)
    {
        if (auth.Method != WireAuthMethod.SharedKeyMessageIntegrityCode)
        {
            reason = $"peer authenticates with method {(int)auth.Method}, phase1 expects a pre-shared key";
            return false;
        }

        if (!CryptographicOperations.FixedTimeEquals(auth.Data, AuthOctets.Psk(sa, id, fromInitiator)))
        {
            reason = "PSK auth failed: probable pre-shared key mismatch";
            return false;
        }

        reason = string.Empty;
        return true;
    }
}
