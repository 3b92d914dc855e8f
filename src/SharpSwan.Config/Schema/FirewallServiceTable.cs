using System.Collections.Immutable;

namespace SharpSwan.Config;

/// <summary>Builds <c>config firewall service custom</c> and checks that each entry matches something.</summary>
internal static class FirewallServiceTable
{
    public static ImmutableArray<FirewallService> Build(RawDocument document, DiagnosticBag diagnostics)
    {
        var services = ImmutableArray.CreateBuilder<FirewallService>();
        foreach (var entry in document.Find(SupportedTables.FirewallServices)?.Entries ?? [])
        {
            var draft = new FirewallServiceDraft(entry);
            var other = FirewallServiceSchema.Fields.Apply(draft, () => new FirewallServiceDraft(entry), entry, diagnostics);
            var service = draft.Service with
            {
                PortRanges = [.. FirewallServiceSchema.PortFields.SelectMany(f => draft.Ports.GetValueOrDefault(f.Protocol, []))],
                OtherSettings = other,
                SourceLine = entry.NameToken.Line,
            };
            Validate(service, entry, diagnostics);
            services.Add(service);
        }

        return services.ToImmutable();
    }

    private static void Validate(FirewallService service, RawEntry entry, DiagnosticBag diagnostics)
    {
        var what = $"firewall service custom \"{service.Name}\"";
        var portFields = FirewallServiceSchema.PortFields.Select(f => f.Field).Where(f => entry.Find(f) is not null).ToList();
        var ports = service.ProtocolKind is not (FirewallServiceSchema.IpProtocol or FirewallServiceSchema.IcmpProtocol);
        if (ports && portFields.Count == 0)
        {
            diagnostics.MustBeSet("tcp-portrange", entry.NameToken, $"{what} with protocol {service.ProtocolKind} needs tcp-portrange, udp-portrange or sctp-portrange");
        }
        else if (!ports && portFields.Count > 0)
        {
            var setting = entry.Find(portFields[0])!;
            diagnostics.ValueParseError(portFields[0], setting.Values[0], $"{what}: port ranges need protocol TCP/UDP/SCTP (this service's protocol is {service.ProtocolKind})");
        }

        if (service.ProtocolKind != FirewallServiceSchema.IpProtocol && entry.Find("protocol-number") is { } number && service.ProtocolNumber != 0)
        {
            diagnostics.ValueParseError("protocol-number", number.Values[0], $"{what}: protocol-number is only used with protocol IP");
        }

        if (service.ProtocolKind == "TCP/UDP/SCTP" && entry.Find("udplite-portrange") is { } lite)
        {
            diagnostics.ValueParseError("udplite-portrange", lite.Values[0], $"{what}: udplite-portrange needs protocol {FirewallServiceSchema.DefaultProtocol}");
        }
    }
}
