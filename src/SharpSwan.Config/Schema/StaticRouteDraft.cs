using System.Net;

namespace SharpSwan.Config;

/// <summary>A <c>router static</c> entry while its settings are applied.</summary>
internal sealed class StaticRouteDraft(RawEntry entry)
{
    public RawEntry Entry { get; } = entry;

    public AddressSelector Destination { get; set; } = AddressSelector.Any;

    public string Device { get; set; } = "";

    public IPAddress Gateway { get; set; } = Ipv4.Zero;

    public int Distance { get; set; } = StaticRoute.DefaultDistance;

    public bool Enabled { get; set; } = true;

    public long Priority { get; set; } = StaticRoute.DefaultPriority;

    public bool Blackhole { get; set; }

    public string? DestinationAddress { get; set; }
}
