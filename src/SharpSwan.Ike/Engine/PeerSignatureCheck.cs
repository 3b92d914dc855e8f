using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpSwan.Crypto.Certificates;
using SharpSwan.Ike.Wire;
using WireAuthMethod = SharpSwan.Ike.Wire.AuthMethod;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// The expensive part of checking the peer's signature, to run on any thread: its certificate chain to our CAs
/// (<see cref="PeerCertificateChain"/>) and its signature: IKEv2's AUTH over the octets RFC 7296 §2.15 names, or IKEv1's
/// SIG over HASH_I/HASH_R itself (RFC 2409 §5.1, <see cref="OverDigest"/>). The CAs are held for the work. The rest (a
/// refusal published, <c>peer</c>/<c>peergrp</c>, the ID in the certificate, the verdict) is the engine's, on its own
/// thread, in the order the inline check always had.
/// </summary>
internal sealed class PeerSignatureCheck
{
    private readonly TrustStore? _trust;
    private readonly CredentialGeneration _generation;
    private readonly IReadOnlyList<byte[]> _certificates;
    private readonly byte[] _signed;
    private readonly DateTimeOffset _now;

    // Null: an IKEv1 SIG (_signature) over a ready digest; else the IKEv2 AUTH payload.
    private readonly AuthenticationPayload? _auth;
    private readonly byte[] _signature;

    private PeerSignatureCheck(TrustStore? trust, CredentialGeneration generation, IReadOnlyList<byte[]> certificates, IdentificationPayload id, AuthenticationPayload? auth, byte[] signature, byte[] signed, DateTimeOffset now)
    {
        _trust = trust;
        _generation = generation;
        _certificates = certificates;
        Id = id;
        _auth = auth;
        _signature = signature;
        _signed = signed;
        _now = now;
    }

    /// <summary>IKEv2: the AUTH payload <paramref name="auth"/> over <paramref name="octets"/>.</summary>
    public static PeerSignatureCheck OverOctets(TrustStore? trust, CredentialGeneration generation, IReadOnlyList<byte[]> certificates, IdentificationPayload id, AuthenticationPayload auth, byte[] octets, DateTimeOffset now) =>
        new(trust, generation, certificates, id, auth, auth.Data, octets, now);

    /// <summary>IKEv1: the SIG payload's <paramref name="signature"/> over <paramref name="digest"/> (HASH_I or HASH_R) itself.</summary>
    public static PeerSignatureCheck OverDigest(TrustStore? trust, CredentialGeneration generation, IReadOnlyList<byte[]> certificates, IdentificationPayload id, byte[] signature, byte[] digest, DateTimeOffset now) =>
        new(trust, generation, certificates, id, null, signature, digest, now);

    /// <summary>The peer's ID payload (IKEv1's as IKEv2's), which its certificate must contain.</summary>
    public IdentificationPayload Id { get; }

    /// <summary>The chain's outcome; null until <see cref="Check"/>.</summary>
    public PeerCertificateChain? Chain { get; private set; }

    /// <summary>The signature verified with the trusted certificate's key.</summary>
    public bool SignatureValid { get; private set; }

    /// <summary>Why the signature did not verify; empty when it did.</summary>
    public string SignatureError { get; private set; } = string.Empty;

    public void Check()
    {
        Chain = PeerCertificateChain.Check(_trust, _certificates, _now);
        if (Chain.Trusted)
        {
            SignatureValid = _auth is null
                ? VerifyDigestSignature(Chain.Leaf!, _signed, _signature, out var error)
                : VerifySignature(Chain.Leaf!, _auth, _signed, out error);
            SignatureError = error;
        }
    }

    /// <summary>Wipes the signed bytes and lets the CAs go; once, checked or not.</summary>
    public void Release()
    {
        CryptographicOperations.ZeroMemory(_signed);
        _generation.Release();
    }

    /// <summary>IKEv1's SIG over HASH_I/HASH_R, RSA or ECDSA (<see cref="DigestSignature"/>).</summary>
    private static bool VerifyDigestSignature(X509Certificate2 signer, byte[] digest, byte[] signature, out string error)
    {
        try
        {
            return DigestSignature.Verify(signer, digest, signature, out error);
        }
        catch (CryptographicException e)
        {
            // As for IKEv2 below: on a worker a broken key must become a refusal like any other bad signature.
            error = e.Message;
            return false;
        }
    }

    /// <summary>RFC 7427 digital signatures, and the fixed-hash methods of RFC 7296 (RSA) and RFC 4754 (ECDSA).</summary>
    private static bool VerifySignature(X509Certificate2 signer, AuthenticationPayload auth, byte[] octets, out string error)
    {
        error = string.Empty;
        try
        {
            switch (auth.Method)
            {
                case WireAuthMethod.DigitalSignature:
                    return DigitalSignatureAuth.Verify(signer, auth.Data, octets, out error);
                case WireAuthMethod.RsaDigitalSignature:
                    using (var rsa = signer.GetRSAPublicKey())
                    {
                        if (rsa is null)
                        {
                            error = "RSA signature from a non-RSA certificate";
                            return false;
                        }

                        return rsa.VerifyData(octets, auth.Data, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
                    }

                case WireAuthMethod.EcdsaSha256P256 or WireAuthMethod.EcdsaSha384P384 or WireAuthMethod.EcdsaSha512P521:
                    using (var ecdsa = signer.GetECDsaPublicKey())
                    {
                        if (ecdsa is null)
                        {
                            error = "ECDSA signature from a non-ECDSA certificate";
                            return false;
                        }

                        var hash = auth.Method switch
                        {
                            WireAuthMethod.EcdsaSha256P256 => HashAlgorithmName.SHA256,
                            WireAuthMethod.EcdsaSha384P384 => HashAlgorithmName.SHA384,
                            _ => HashAlgorithmName.SHA512,
                        };
                        return ecdsa.VerifyData(octets, auth.Data, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                    }

                default:
                    error = $"authentication method {(int)auth.Method} is not supported";
                    return false;
            }
        }
        catch (CryptographicException e)
        {
            // On the engine thread this escaped; on a worker it must become a refusal like any other bad signature.
            error = e.Message;
            return false;
        }
    }
}
