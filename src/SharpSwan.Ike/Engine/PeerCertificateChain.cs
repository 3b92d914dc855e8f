using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// The part of a peer certificate's check that needs no engine state, so it may run on any thread: the CERT payloads
/// parse, and the end-entity certificate chains to a configured CA (in date, not revoked, allowed to sign). What depends on
/// the configuration (<c>peer</c>/<c>peergrp</c>, the peer's ID) is judged on the engine thread afterwards.
/// </summary>
internal sealed class PeerCertificateChain : IDisposable
{
    private PeerCertificateChain(X509Certificate2? leaf, CertificateVerdict? verdict, string reason)
    {
        Leaf = leaf;
        Verdict = verdict;
        Reason = reason;
    }

    /// <summary>The peer's end-entity certificate when it parsed (disposed with this unless taken).</summary>
    public X509Certificate2? Leaf { get; private set; }

    /// <summary>The trust store's verdict; null when there was nothing to validate (no certificate, no CA configured).</summary>
    public CertificateVerdict? Verdict { get; }

    public bool Trusted => Verdict is { Trusted: true } && Leaf is not null;

    /// <summary>Why the chain is not trusted; empty when it is.</summary>
    public string Reason { get; }

    /// <summary>Checks the peer's certificates (end-entity first, then intermediates) against <paramref name="trust"/> at <paramref name="now"/>.</summary>
    public static PeerCertificateChain Check(TrustStore? trust, IReadOnlyList<byte[]> certificates, DateTimeOffset now)
    {
        if (certificates.Count == 0)
        {
            return new PeerCertificateChain(null, null, "peer sent no certificate");
        }

        X509Certificate2? leaf = null;
        var intermediates = new List<X509Certificate2>();
        try
        {
            leaf = X509CertificateLoader.LoadCertificate(certificates[0]);
            foreach (var extra in certificates.Skip(1))
            {
                intermediates.Add(X509CertificateLoader.LoadCertificate(extra));
            }

            if (trust is null)
            {
                var reason = $"certificate {leaf.Subject} cannot be checked: no CA configured (config vpn certificate ca)";
                leaf.Dispose();
                return new PeerCertificateChain(null, null, reason);
            }

            var verdict = trust.Validate(leaf, intermediates, now);
            return new PeerCertificateChain(leaf, verdict, verdict.Trusted ? string.Empty : verdict.Reason);
        }
        catch (CryptographicException e)
        {
            leaf?.Dispose();
            return new PeerCertificateChain(null, null, $"peer certificate does not parse: {e.Message}");
        }
        finally
        {
            foreach (var intermediate in intermediates)
            {
                intermediate.Dispose();
            }
        }
    }

    /// <summary>The end-entity certificate, handed over (its taker disposes it).</summary>
    public X509Certificate2 TakeLeaf()
    {
        var leaf = Leaf ?? throw new InvalidOperationException("no peer certificate to take");
        Leaf = null;
        return leaf;
    }

    public void Dispose()
    {
        Leaf?.Dispose();
        Leaf = null;
    }
}
