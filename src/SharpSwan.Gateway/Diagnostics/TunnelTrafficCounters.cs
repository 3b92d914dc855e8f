namespace SharpSwan.Gateway.Diagnostics;

/// <summary>One tunnel interface's data-plane counters (since start; never reset, as Prometheus counters must not be).</summary>
public sealed record TunnelTrafficCounters(
    string Tunnel, long RxBytes, long RxPackets, long RxErrors, long TxBytes, long TxPackets, long TxErrors);
