using System.Collections.Immutable;

namespace SharpSwan.Config;

/// <summary>A <c>firewall service custom</c> entry while its settings are applied.</summary>
internal sealed class FirewallServiceDraft(RawEntry entry)
{
    public RawEntry Entry { get; } = entry;

    public FirewallService Service { get; set; } = new(entry.Name);

    /// <summary>Port ranges per protocol field, merged into the service when the entry is complete.</summary>
    public Dictionary<byte, ImmutableArray<ServiceRange>> Ports { get; } = [];
}
