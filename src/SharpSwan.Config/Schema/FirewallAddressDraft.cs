namespace SharpSwan.Config;

/// <summary>A <c>firewall address</c> entry while its settings are applied.</summary>
internal sealed class FirewallAddressDraft(RawEntry entry)
{
    public RawEntry Entry { get; } = entry;

    /// <summary>FortiOS default: 0.0.0.0 0.0.0.0.</summary>
    public AddressSelector Subnet { get; set; } = AddressSelector.Any;

    /// <summary><c>type</c>: ipmask (default) or iprange.</summary>
    public string Type { get; set; } = "ipmask";

    public System.Net.IPAddress? StartIp { get; set; }

    public System.Net.IPAddress? EndIp { get; set; }
}
