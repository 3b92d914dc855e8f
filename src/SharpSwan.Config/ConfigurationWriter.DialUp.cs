using System.Net;
using System.Text;

namespace SharpSwan.Config;

/// <summary>The certificate and address tables: PEM as FortiOS prints it, private keys and passwords as <c>ENC</c>.</summary>
public static partial class ConfigurationWriter
{
    /// <summary>
    /// A quoted value whose line breaks stay raw, as FortiOS prints PEM. The tokenizer reads it back because the
    /// closing quote ends the line.
    /// </summary>
    internal static string QuoteMultiLine(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('"').ToString();
    }

    private sealed partial class Writer
    {
        public void CaCertificate(CaCertificate ca)
        {
            Line(1, $"edit {Quote(ca.Name)}");
            PemOrFile(ca.CertificateFile, "ca", ca.CertificatePem);
            Verbatim(2, ca.OtherSettings);
        }

        public void RevocationList(CertificateRevocationList crl)
        {
            Line(1, $"edit {Quote(crl.Name)}");
            PemOrFile(crl.CrlFile, "crl", crl.CrlPem);
            Verbatim(2, crl.OtherSettings);
        }

        public void LocalCertificate(LocalCertificate local)
        {
            Line(1, $"edit {Quote(local.Name)}");
            PemOrFile(local.CertificateFile, "certificate", local.CertificatePem);
            if (local.PrivateKeyFile is { } keyFile)
            {
                Set(2, "private-key-file", Quote(keyFile), false);
            }
            else if (local.PrivateKeyPem.Length > 0)
            {
                // Like psksecret: never the key in clear, and still a value the loader reads back.
                Set(2, "private-key", local.PrivateKeyPem.ToConfigString(keyring), false);
            }

            if (local.Password is { } password)
            {
                Set(2, "password", password.ToConfigString(keyring), false);
            }

            Verbatim(2, local.OtherSettings);
        }

        public void FirewallAddress(FirewallAddress address)
        {
            Line(1, $"edit {Quote(address.Name)}");
            if (address.IpRange is { } range)
            {
                Line(2, "set type iprange");
                Line(2, $"set start-ip {range.Start}");
                Line(2, $"set end-ip {range.End}");
                Verbatim(2, address.OtherSettings);
                return;
            }

            Set(2, "type", "ipmask", true);
            Set(
                2,
                "subnet",
                $"{address.Address} {Ipv4.PrefixToMaskAddress(address.PrefixLength)}",
                address.PrefixLength == 0 && address.Address.Equals(IPAddress.Any));
            Verbatim(2, address.OtherSettings);
        }

        /// <summary>The path a PEM was read from (so the saved file keeps pointing at it), else the PEM itself.</summary>
        private void PemOrFile(string? file, string field, string pem)
        {
            if (file is not null)
            {
                Set(2, field + "-file", Quote(file), false);
            }
            else if (pem.Length > 0)
            {
                Set(2, field, QuoteMultiLine(pem), false);
            }
        }
    }
}
