using System.Net;

namespace SharpSwan.Config;

/// <summary>
/// One side of a phase 2 selector as the file states it. FortiOS keeps the subnet and the range
/// fields side by side; <c>src-addr-type</c> decides which one is in force, so the selector is
/// only computed once all settings are applied.
/// </summary>
internal sealed class AddressParts
{
    public string Type { get; set; } = "subnet";

    public AddressSelector Subnet { get; set; } = AddressSelector.Any;

    public IPAddress StartIp { get; set; } = Ipv4.Zero;

    public IPAddress EndIp { get; set; } = Ipv4.Zero;

    /// <summary><c>src-name</c>/<c>dst-name</c> (empty: unset).</summary>
    public string Name { get; set; } = "";
}
