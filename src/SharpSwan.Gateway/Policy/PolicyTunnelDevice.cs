using System.Globalization;

namespace SharpSwan.Gateway.Policy;

/// <summary>
/// The TUN device of one policy-based phase 1 and how traffic reaches it: nftables marks a connection that an ipsec policy
/// sends into the tunnel with <see cref="Mark"/>, and an <c>ip rule</c> sends that mark to routing table
/// <see cref="Table"/>, whose default route is the device.
/// </summary>
/// <param name="Phase1">The policy-based phase 1 (a policy's <c>vpntunnel</c>).</param>
/// <param name="Index">1-4095, stable for the phase 1 while the gateway runs.</param>
public sealed record PolicyTunnelDevice(string Phase1, int Index)
{
    /// <summary>The high half of every mark SharpSwan sets ("SS"); the low half is the tunnel's index.</summary>
    public const uint MarkPrefix = 0x53530000;

    public const uint MarkMask = 0xffff0000;

    /// <summary>Routing tables 21001-25095 and this <c>ip rule</c> priority are SharpSwan's.</summary>
    public const int TableBase = 21000;

    public const int RulePriority = 1000;

    public const int MaxIndex = 4095;

    /// <summary>Linux interface name: <c>ssw-pol</c> and the index (phase 1 names are longer than an interface name may be).</summary>
    public string Device => "ssw-pol" + Index.ToString(CultureInfo.InvariantCulture);

    public uint Mark => MarkPrefix | (uint)Index;

    public int Table => TableBase + Index;

    public string MarkText => "0x" + Mark.ToString("x8", CultureInfo.InvariantCulture);
}
