using System.Net;

namespace SharpSwan.Config;

/// <summary>
/// Checks of the certificate tables and of what a phase 1 needs for certificates and dial-up clients: a complete
/// local certificate whose key belongs to it, the references to certificates and addresses, and the mode-cfg pool.
/// </summary>
internal static class DialUpValidator
{
    /// <summary>The largest mode-cfg pool we accept: 65536 addresses (a /16).</summary>
    public const long MaximumPoolSize = 65536;

    public static void ValidateLocal(LocalCertificateDraft draft, DiagnosticBag diagnostics)
    {
        var entry = draft.Entry;
        var what = $"local certificate \"{entry.Name}\"";
        var certificate = OneOf(entry, "certificate", "certificate-file", diagnostics);
        var key = OneOf(entry, "private-key", "private-key-file", diagnostics);
        if (certificate is null)
        {
            diagnostics.MustBeSet("certificate", entry.NameToken, $"{what} needs its certificate (set certificate or certificate-file)");
        }

        if (key is null)
        {
            diagnostics.MustBeSet("private-key", entry.NameToken, $"{what} needs its private key (set private-key or private-key-file)");
        }

        if (draft.CertificatePem is not { } pem || draft.PrivateKey is not { } privateKey || certificate is null || key is null)
        {
            return;
        }

        var password = draft.Password is { } secret ? System.Text.Encoding.UTF8.GetString(secret.Bytes) : null;
        var keyPem = System.Text.Encoding.UTF8.GetString(privateKey.Bytes);
        if (PemText.PrivateKeyError(pem, keyPem, password, out var certificateUnsupported) is { } error)
        {
            var (setting, secretValue) = certificateUnsupported ? (certificate, false) : (key, key.Name == "private-key");
            var token = setting.Name.EndsWith("-file", StringComparison.Ordinal)
                ? setting.Values[0]
                : CertificateSchema.Shown(setting.Values[0], secretValue);
            diagnostics.ValueParseError(setting.Name, token, $"{what}: {error}");
        }
    }

    public static void ValidateCa(CaCertificateDraft draft, DiagnosticBag diagnostics)
    {
        var entry = draft.Entry;
        if (OneOf(entry, "ca", "ca-file", diagnostics) is null)
        {
            diagnostics.MustBeSet("ca", entry.NameToken, $"CA certificate \"{entry.Name}\" needs its certificate (set ca or ca-file)");
        }
    }

    public static void ValidatePhase1(
        Phase1Draft draft, IReadOnlySet<string> localCertificates, IReadOnlySet<string> firewallAddresses, DiagnosticBag diagnostics)
    {
        var settings = draft.Settings;
        var entry = draft.Entry;
        var what = $"{(settings.IsInterfaceMode ? "phase1-interface" : "phase1")} \"{settings.Name}\"";

        // A certificate value that was present but bad was already reported; an empty one means none.
        if (settings.Authmethod == AuthMethod.Signature && settings.Certificate is null
            && entry.Find("certificate") is null or { Values: [{ Text: "" }] })
        {
            diagnostics.MustBeSet("certificate", entry.NameToken, $"{what} uses authmethod signature and needs the local certificate it signs with");
        }

        if (settings.Certificate is { } certificate && !localCertificates.Contains(certificate))
        {
            diagnostics.EntryNotFound(
                "certificate",
                entry.Find("certificate")!.Values[0],
                $"{what} refers to local certificate \"{certificate}\", which does not exist (config {CertificateSchema.LocalPath})"
                    + BuiltInCertificateAdvice(certificate));
        }

        if (settings.Ipv4SplitInclude is { } address && !firewallAddresses.Contains(address))
        {
            diagnostics.EntryNotFound(
                "ipv4-split-include",
                entry.Find("ipv4-split-include")!.Values[0],
                $"{what} refers to firewall address \"{address}\", which does not exist (config {FirewallAddressSchema.Path})");
        }

        // assign-ip-from usrgrp/dhcp/name takes addresses from elsewhere; range (the default) uses ipv4-start-ip..ipv4-end-ip.
        var fromRange = settings.OtherSettings.FirstOrDefault(s => s.Name == "assign-ip-from") is not { } from || from.Values is ["range"];
        if (settings.Type == Phase1Type.Dynamic && settings.ModeCfg && settings.AssignIp && fromRange)
        {
            ValidatePool(what, entry, diagnostics);
        }
    }

    /// <summary>A dial-up phase 1 that hands out addresses needs a pool: start &lt;= end, at most 65536 addresses.</summary>
    /// <summary>
    /// FortiGate's factory certificates (Fortinet_Factory, Fortinet_CA_SSL, ...) are in every FortiOS file but their
    /// keys never leave the device: say so, and how to make one.
    /// </summary>
    internal static string BuiltInCertificateAdvice(string name) =>
        name.StartsWith("Fortinet_", StringComparison.Ordinal)
            ? $"; {name} is a FortiGate built-in certificate whose key stays in the device: make one with ./sharpswan pki issue (or import yours into config {CertificateSchema.LocalPath}) and set certificate to it"
            : "";

    private static void ValidatePool(string what, RawEntry entry, DiagnosticBag diagnostics)
    {
        var start = entry.Find("ipv4-start-ip");
        var end = entry.Find("ipv4-end-ip");
        foreach (var (field, setting, which) in new[] { ("ipv4-start-ip", start, "first"), ("ipv4-end-ip", end, "last") })
        {
            if (setting is null)
            {
                diagnostics.MustBeSet(
                    field,
                    entry.NameToken,
                    $"{what} assigns addresses to dial-up clients (mode-cfg enable, assign-ip enable) and needs the {which} address of the pool");
            }
        }

        // Bad addresses were reported where they stand; the range is only judged between two good ones.
        if (Address(start) is not { } first || Address(end) is not { } last)
        {
            return;
        }

        var (low, high) = (Ipv4.ToUInt32(first), Ipv4.ToUInt32(last));
        var token = end!.Values[0];
        if (low > high)
        {
            diagnostics.ValueParseError("ipv4-end-ip", token, $"{what}: ipv4-end-ip {last} is below ipv4-start-ip {first}");
        }
        else if (high - (long)low + 1 > MaximumPoolSize)
        {
            diagnostics.ValueParseError(
                "ipv4-end-ip",
                token,
                $"{what}: the pool {first}-{last} holds {high - (long)low + 1} addresses; SharpSwan allows at most {MaximumPoolSize} (a /16)");
        }
    }

    private static IPAddress? Address(RawSetting? setting) =>
        setting?.Values is [var token] && Ipv4.TryParse(token.Text, out var address) ? address : null;

    /// <summary>
    /// The setting that gives the value: <paramref name="inline"/> or its <paramref name="file"/> form. Both at once is
    /// an error at the later one.
    /// </summary>
    private static RawSetting? OneOf(RawEntry entry, string inline, string file, DiagnosticBag diagnostics)
    {
        var (a, b) = (entry.Find(inline), entry.Find(file));
        if (a is not null && b is not null)
        {
            var later = a.Verb.Line > b.Verb.Line ? a : b;
            var token = later == a ? CertificateSchema.Shown(a.Values[0], secret: inline == "private-key") : b.Values[0];
            diagnostics.ValueParseError(later.Name, token, $"set either {inline} or {file}, not both");
            return later;
        }

        return a ?? b;
    }
}
