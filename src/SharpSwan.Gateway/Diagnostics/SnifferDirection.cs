namespace SharpSwan.Gateway.Diagnostics;

/// <summary>Which way a captured packet crossed its interface, as the sniffer prints it at levels 4-6.</summary>
public enum SnifferDirection
{
    In,
    Out,
}
