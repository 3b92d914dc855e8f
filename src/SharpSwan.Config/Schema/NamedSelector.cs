namespace SharpSwan.Config;

/// <summary>
/// Phase 2 selectors of <c>src-addr-type name</c>/<c>dst-addr-type name</c>: the firewall address or addrgrp they name,
/// resolved once the address tables are built. A selector is one IPv4 range, so the name must stand for addresses that
/// form one contiguous range (a subnet, an iprange, or a group of adjacent ones).
/// </summary>
internal static class NamedSelector
{
    /// <summary>The name in force for one side: set only with addr-type name; a name beside another type is refused.</summary>
    public static string? Name(AddressParts parts, RawEntry entry, string side, DiagnosticBag diagnostics)
    {
        var field = $"{side}-name";
        if (parts.Type != "name")
        {
            if (parts.Name.Length > 0)
            {
                diagnostics.ValueParseError(field, entry.Find(field)!.Values[0], $"{field} is only used with {side}-addr-type name (this selector is {parts.Type})");
            }

            return null;
        }

        if (parts.Name.Length == 0)
        {
            diagnostics.MustBeSet(field, entry.NameToken, $"phase2 \"{entry.Name}\" has {side}-addr-type name and needs the firewall address or addrgrp in {field}");
            return null;
        }

        return parts.Name;
    }

    /// <summary>Replaces each named side's selector with the one range its address object stands for.</summary>
    public static GatewayConfiguration Resolve(GatewayConfiguration configuration, IReadOnlyList<Phase2Draft> drafts, DiagnosticBag diagnostics)
    {
        if (!configuration.Phase2.Any(p => p.SourceName is not null || p.DestinationName is not null))
        {
            return configuration;
        }

        var resolved = configuration.Phase2.Select((settings, index) =>
        {
            var entry = drafts[index].Entry;
            return settings with
            {
                Source = settings.SourceName is { } source ? Range(configuration, source, entry, "src-name", diagnostics) : settings.Source,
                Destination = settings.DestinationName is { } destination ? Range(configuration, destination, entry, "dst-name", diagnostics) : settings.Destination,
            };
        });
        return configuration with { Phase2 = [.. resolved] };
    }

    private static AddressSelector Range(GatewayConfiguration configuration, string name, RawEntry entry, string field, DiagnosticBag diagnostics)
    {
        var token = entry.Find(field)!.Values[0];
        var ranges = configuration.ResolveAddress(name)
            .Select(r => (First: Ipv4.ToUInt32(r.Start), Last: Ipv4.ToUInt32(r.End)))
            .OrderBy(r => r.First)
            .ToList();
        if (ranges.Count == 0)
        {
            diagnostics.EntryNotFound(field, token, $"phase2 \"{entry.Name}\": \"{name}\" is not a firewall address or addrgrp (the predefined \"all\" is every address)");
            return AddressSelector.Any;
        }

        // Merge overlapping and adjacent ranges; more than one left cannot be one traffic selector.
        var (first, last) = ranges[0];
        foreach (var (nextFirst, nextLast) in ranges.Skip(1))
        {
            if (last != uint.MaxValue && nextFirst > last + 1)
            {
                diagnostics.ValueParseError(
                    field,
                    token,
                    $"phase2 \"{entry.Name}\": \"{name}\" stands for addresses that are not one contiguous range; SharpSwan negotiates one traffic selector per side, so use one phase 2 per range");
                return AddressSelector.Any;
            }

            last = Math.Max(last, nextLast);
        }

        return new AddressSelector(Ipv4.FromUInt32(first), Ipv4.FromUInt32(last));
    }
}
