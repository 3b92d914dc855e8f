using System.Collections.Concurrent;
using System.Net;
using SharpSwan.Esp.Core;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// The data plane's side of a running flow trace: the outbound path asks <see cref="Wants"/> of each packet only while a
/// trace runs (otherwise the data plane holds no probe), and reports what it did with the ones the trace's filter matches.
/// The trace's reader takes the steps (<see cref="TryTake"/>) and joins them to the kernel's trace of the same packets.
/// </summary>
public sealed class FlowProbe(FlowFilter filter)
{
    /// <summary>Steps waiting for the reader; past this they are not kept (a trace follows a counted few packets).</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentQueue<TunnelStep> _steps = new();

    /// <summary>Whether <paramref name="ip"/> is a packet the trace follows (no allocation).</summary>
    public bool Wants(ReadOnlySpan<byte> ip) => PacketFlow.TryRead(ip, out var flow) && filter.Matches(flow);

    /// <summary>Reports what happened to <paramref name="ip"/>, a packet <see cref="Wants"/> said the trace follows.</summary>
    public void Report(ReadOnlySpan<byte> ip, string phase1, TunnelOutcome outcome, string? phase2 = null, uint? spi = null, IPEndPoint? local = null, IPEndPoint? remote = null)
    {
        if (_steps.Count >= Capacity || !FlowPacketIdentity.TryRead(ip, out var identity))
        {
            return;
        }

        _steps.Enqueue(new TunnelStep(identity, phase1, outcome)
        {
            Phase2 = phase2,
            Spi = spi,
            Local = local?.Address.ToString(),
            Remote = remote?.Address.ToString(),
        });
    }

    public bool TryTake(out TunnelStep step) => _steps.TryDequeue(out step!);
}
