namespace SharpSwan.Esp.Core;

/// <summary>The protocol and port range half of a traffic selector (protocol 0: any; ports 0-65535: any).</summary>
/// <param name="Protocol">IP protocol number, 0 for any.</param>
/// <param name="StartPort">First port (inclusive).</param>
/// <param name="EndPort">Last port (inclusive).</param>
public readonly record struct PortSelector(byte Protocol, ushort StartPort, ushort EndPort)
{
    /// <summary>Any protocol, any port.</summary>
    public static PortSelector Any { get; } = new(0, 0, ushort.MaxValue);

    /// <summary>A FortiOS phase 2 <c>protocol</c> with its <c>src-port</c> or <c>dst-port</c> (0: every port).</summary>
    public static PortSelector FromPhase2(byte protocol, ushort port) => new(protocol, port, port == 0 ? ushort.MaxValue : port);

    /// <summary>Whether the flow's protocol fits and <paramref name="port"/> (its port on this selector's side) is in range.</summary>
    public bool Matches(in PacketFlow flow, ushort port) => flow.ProtocolMatches(Protocol) && flow.PortMatches(port, StartPort, EndPort);
}
