using System.Collections.Immutable;

namespace SharpSwan.Config;

/// <summary>
/// The tables a certificate or dial-up phase 1 refers to (<c>vpn certificate local</c>, <c>vpn certificate ca</c>,
/// <c>firewall address</c>), built and checked together with those references.
/// </summary>
internal sealed record DialUpTables(
    ImmutableArray<LocalCertificate> LocalCertificates,
    ImmutableArray<CaCertificate> CaCertificates,
    ImmutableArray<FirewallAddress> FirewallAddresses)
{
    /// <param name="baseDirectory">Where relative <c>*-file</c> paths start; null for the current directory.</param>
    public static DialUpTables Build(RawDocument document, IReadOnlyList<Phase1Draft> phase1, string? baseDirectory, DiagnosticBag diagnostics)
    {
        var local = BuildLocal(document, baseDirectory, diagnostics);
        var ca = BuildCa(document, baseDirectory, diagnostics);
        var addresses = BuildAddresses(document, diagnostics).ToList();

        // References are judged against every entry the file has, so one bad certificate does not also make each phase 1 that uses it an error.
        var localNames = (document.Find(SupportedTables.LocalCertificates)?.Entries ?? []).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var addressNames = (document.Find(SupportedTables.FirewallAddresses)?.Entries ?? []).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var draft in phase1)
        {
            DialUpValidator.ValidatePhase1(draft, localNames, addressNames, diagnostics);
            if (draft.Settings.Ipv4SplitInclude is { } split && addresses.FirstOrDefault(a => a.Name == split) is { IpRange: not null })
            {
                diagnostics.ValueParseError(
                    "ipv4-split-include",
                    draft.Entry.Find("ipv4-split-include")!.Values[0],
                    $"firewall address \"{split}\" is an iprange; a split-include network is sent as a subnet, so it needs type ipmask");
            }
        }

        return new DialUpTables([.. local], [.. ca], [.. addresses]);
    }

    private static IEnumerable<LocalCertificate> BuildLocal(RawDocument document, string? baseDirectory, DiagnosticBag diagnostics)
    {
        foreach (var entry in document.Find(SupportedTables.LocalCertificates)?.Entries ?? [])
        {
            var draft = new LocalCertificateDraft(entry, baseDirectory);
            var other = CertificateSchema.Local.Apply(draft, () => new LocalCertificateDraft(entry, baseDirectory), entry, diagnostics);
            DialUpValidator.ValidateLocal(draft, diagnostics);
            yield return new LocalCertificate(entry.Name, draft.CertificatePem ?? "", draft.PrivateKey ?? Secret.FromBytes([]), draft.Password)
            {
                CertificateFile = draft.CertificateFile,
                PrivateKeyFile = draft.PrivateKeyFile,
                OtherSettings = other,
                SourceLine = entry.NameToken.Line,
            };
        }
    }

    private static IEnumerable<CaCertificate> BuildCa(RawDocument document, string? baseDirectory, DiagnosticBag diagnostics)
    {
        foreach (var entry in document.Find(SupportedTables.CaCertificates)?.Entries ?? [])
        {
            var draft = new CaCertificateDraft(entry, baseDirectory);
            var other = CertificateSchema.Ca.Apply(draft, () => new CaCertificateDraft(entry, baseDirectory), entry, diagnostics);
            DialUpValidator.ValidateCa(draft, diagnostics);
            yield return new CaCertificate(entry.Name, draft.CertificatePem ?? "")
            {
                CertificateFile = draft.CertificateFile,
                OtherSettings = other,
                SourceLine = entry.NameToken.Line,
            };
        }
    }

    /// <summary>For <c>type iprange</c>: start-ip..end-ip (both required, in order); settings of the other type are refused.</summary>
    private static AddressSelector? AddressRange(FirewallAddressDraft draft, DiagnosticBag diagnostics)
    {
        var entry = draft.Entry;
        var what = $"firewall address \"{entry.Name}\"";
        if (draft.Type != "iprange")
        {
            foreach (var field in (string[])["start-ip", "end-ip"])
            {
                if (entry.Find(field) is { } setting)
                {
                    diagnostics.ValueParseError(field, setting.Values[0], $"{what}: {field} is only used with type iprange (this address is type ipmask)");
                }
            }

            return null;
        }

        if (entry.Find("subnet") is { } subnet)
        {
            diagnostics.ValueParseError("subnet", subnet.Values[0], $"{what}: subnet is only used with type ipmask (this address is type iprange)");
        }

        if (draft.StartIp is null || draft.EndIp is null)
        {
            if (entry.Find(draft.StartIp is null ? "start-ip" : "end-ip") is null)
            {
                diagnostics.MustBeSet(draft.StartIp is null ? "start-ip" : "end-ip", entry.NameToken, $"{what} is type iprange and needs start-ip and end-ip");
            }

            return null;
        }

        if (Ipv4.ToUInt32(draft.StartIp) > Ipv4.ToUInt32(draft.EndIp))
        {
            diagnostics.ValueParseError("end-ip", entry.Find("end-ip")!.Values[0], $"{what}: end-ip {draft.EndIp} is before start-ip {draft.StartIp}");
            return null;
        }

        return new AddressSelector(draft.StartIp, draft.EndIp);
    }

    private static IEnumerable<FirewallAddress> BuildAddresses(RawDocument document, DiagnosticBag diagnostics)
    {
        foreach (var entry in document.Find(SupportedTables.FirewallAddresses)?.Entries ?? [])
        {
            var draft = new FirewallAddressDraft(entry);
            var other = FirewallAddressSchema.Fields.Apply(draft, () => new FirewallAddressDraft(entry), entry, diagnostics);
            yield return new FirewallAddress(entry.Name, draft.Subnet.Start, draft.Subnet.PrefixLength ?? 0)
            {
                IpRange = AddressRange(draft, diagnostics),
                OtherSettings = other,
                SourceLine = entry.NameToken.Line,
            };
        }
    }
}
