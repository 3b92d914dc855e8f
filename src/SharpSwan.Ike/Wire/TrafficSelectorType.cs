namespace SharpSwan.Ike.Wire;

/// <summary>Traffic selector types (RFC 7296 §3.13.1).</summary>
public enum TrafficSelectorType : byte
{
    Ipv4AddressRange = 7,
    Ipv6AddressRange = 8,
}
