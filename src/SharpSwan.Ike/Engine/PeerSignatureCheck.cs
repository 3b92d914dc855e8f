using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpSwan.Crypto.Certificates;
using SharpSwan.Ike.Wire;
using WireAuthMethod = SharpSwan.Ike.Wire.AuthMethod;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// The expensive part of checking the peer's IKE_AUTH signature, to run on any thread: its certificate chain to our CAs
/// (<see cref="PeerCertificateChain"/>) and its signature over the octets RFC 7296 §2.15 names. The CAs are held for the
/// work. The rest (a refusal published, <c>peer</c>/<c>peergrp</c>, the ID in the certificate, the verdict) is the
/// engine's, on its own thread, in the order the inline check always had.
/// </summary>
internal sealed class PeerSignatureCheck(TrustStore? trust, CredentialGeneration generation, IReadOnlyList<byte[]> certificates, IdentificationPayload id, AuthenticationPayload auth, byte[] octets, DateTimeOffset now)
{
    /// <summary>The peer's ID payload, which its certificate must contain.</summary>
    public IdentificationPayload Id => id;

    /// <summary>The chain's outcome; null until <see cref="Check"/>.</summary>
    public PeerCertificateChain? Chain { get; private set; }

    /// <summary>The signature verified with the trusted certificate's key.</summary>
    public bool SignatureValid { get; private set; }

    /// <summary>Why the signature did not verify; empty when it did.</summary>
    public string SignatureError { get; private set; } = string.Empty;

    public void Check()
    {
        Chain = PeerCertificateChain.Check(trust, certificates, now);
        if (Chain.Trusted)
        {
            SignatureValid = VerifySignature(Chain.Leaf!, auth, octets, out var error);
            SignatureError = error;
        }
    }

    /// <summary>Wipes the octets and lets the CAs go; once, checked or not.</summary>
    public void Release()
    {
        CryptographicOperations.ZeroMemory(octets);
        generation.Release();
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
