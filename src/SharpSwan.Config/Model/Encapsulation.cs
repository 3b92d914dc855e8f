namespace SharpSwan.Config;

/// <summary>Phase 2 <c>set encapsulation</c>.</summary>
public enum Encapsulation
{
    TunnelMode,
    TransportMode,
}
