namespace SharpSwan.Esp.Core;

/// <summary>How ESP reaches the gateway: straight over IP (protocol 50) or inside UDP (RFC 3948, port 4500).</summary>
public enum EspTransport
{
    Raw,
    UdpEncapsulated,
}
