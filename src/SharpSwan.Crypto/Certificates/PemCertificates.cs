using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SharpSwan.Crypto.Certificates;

/// <summary>Reads the "CERTIFICATE" blocks of PEM text, in order; other blocks (keys, parameters) are skipped.</summary>
internal static class PemCertificates
{
    public static bool TryRead(string pem, List<X509Certificate2> into, out string error)
    {
        var text = pem.AsSpan();
        var found = 0;
        while (PemEncoding.TryFind(text, out var fields))
        {
            if (text[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                found++;
                var der = new byte[fields.DecodedDataLength];
                if (!Convert.TryFromBase64Chars(text[fields.Base64Data], der, out var written))
                {
                    error = $"certificate {found} has invalid base64";
                    return false;
                }

                try
                {
                    into.Add(X509CertificateLoader.LoadCertificate(der.AsSpan(0, written)));
                }
                catch (CryptographicException ex)
                {
                    error = $"certificate {found} is not a valid X.509 certificate ({ex.Message})";
                    return false;
                }
            }

            text = text[fields.Location.End..];
        }

        if (found == 0)
        {
            error = "no \"-----BEGIN CERTIFICATE-----\" block found";
            return false;
        }

        error = string.Empty;
        return true;
    }
}
