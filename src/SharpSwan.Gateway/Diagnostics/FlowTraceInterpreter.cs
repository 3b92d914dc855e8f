using SharpSwan.Gateway.Policy;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// Turns the kernel's nftables trace events into the steps `diagnose debug flow` shows: the packet as it arrived, new or
/// existing session, the policy that decided, and where it left (a tunnel, by phase 1). Follows the first
/// <see cref="Limit"/> packets (trace ids) it meets and ignores later ones. Not thread-safe: one reader feeds it.
/// </summary>
/// <param name="ruleOf">What a rule of SharpSwan's table (by handle) stands for; null when the handle is unknown.</param>
/// <param name="tunnelOf">The phase 1 behind a device name, and whether it is policy-based; null for other devices.</param>
/// <param name="nextHopOf">
/// The next hop the kernel's routes give a packet to a destination with a mark (the destination itself on the link), or
/// null when the lookup found none; without it no route step is shown.
/// </param>
public sealed class FlowTraceInterpreter(
    int limit,
    Func<ulong, FlowRule?> ruleOf,
    Func<string, (string Phase1, bool PolicyBased)?> tunnelOf,
    Func<uint, uint, uint?>? nextHopOf = null)
{
    /// <summary>Packet core steps kept until the kernel's trace of their packet is read (the two come on different threads).</summary>
    private const int PendingLimit = 1_000;

    private readonly Dictionary<uint, Packet> _packets = [];
    private int _followed;
    private readonly Dictionary<FlowPacketIdentity, int> _enteredTunnel = [];
    private readonly Dictionary<FlowPacketIdentity, TunnelStep> _pending = [];
    private readonly Dictionary<FlowPacketIdentity, int> _fromTunnel = [];
    private readonly Dictionary<FlowPacketIdentity, TunnelStep> _pendingDecrypted = [];
    private readonly Dictionary<FlowPacketIdentity, int> _held = [];
    private readonly Dictionary<FlowPacketIdentity, TunnelStep> _pendingReleased = [];

    public int Limit { get; } = limit;

    /// <summary>How many packets it follows so far.</summary>
    public int Count => _followed;

    /// <summary>True once <see cref="Limit"/> packets are followed: new ones are no longer taken.</summary>
    public bool Full => _followed >= Limit;

    /// <summary>Followed packets the packet core holds in a trigger queue: their release is still to come.</summary>
    public int Held => _held.Count;

    /// <summary>The steps <paramref name="traced"/> stands for (often none: most rules a packet passes say nothing new).</summary>
    public IEnumerable<FlowStep> Interpret(FlowTraceEvent traced)
    {
        ArgumentNullException.ThrowIfNull(traced);
        if (!_packets.TryGetValue(traced.TraceId, out var packet))
        {
            if (Full)
            {
                yield break;
            }

            packet = new Packet(++_followed);
            _packets[traced.TraceId] = packet;
        }

        var where = $"{traced.Table}/{traced.Chain}";
        if (!packet.Received && traced.NetworkHeader is { } network && FlowPacket.Read(network, traced.TransportHeader) is { } read)
        {
            packet.Received = true;
            packet.Destination = read.Destination;
            FlowPacketIdentity.TryRead(network, out packet.Identity);
            var from = traced.InputInterface;
            var tunnel = from is null ? null : tunnelOf(from);
            if (tunnel is not null && _pendingDecrypted.Remove(packet.Identity, out var decrypted))
            {
                // The packet core decrypted it before the kernel saw it: its line comes first.
                yield return CoreStep(packet.Number, decrypted);
            }
            else if (tunnel is not null)
            {
                _fromTunnel[packet.Identity] = packet.Number;
            }

            yield return new FlowStep(packet.Number, FlowStepKind.Received)
            {
                Packet = read,
                Interface = from,
                Tunnel = tunnel?.Phase1,
                PolicyBased = tunnel?.PolicyBased ?? false,
                Where = where,
            };
        }

        if (traced.Table == NftRuleset.TableName && traced.Kind == FlowTraceKind.Rule && traced.RuleHandle is { } handle
            && ruleOf(handle) is { Kind: { } kind } rule)
        {
            // A packet passes the session check once per base chain it meets; say each fact once.
            if (kind is FlowStepKind.NewSession or FlowStepKind.ExistingSession && !packet.SessionShown.Add(kind))
            {
                yield break;
            }

            yield return new FlowStep(packet.Number, kind)
            {
                PolicyId = rule.PolicyId,
                Action = rule.Action,
                Where = where,
                RuleHandle = handle,
                SessionId = kind is FlowStepKind.NewSession or FlowStepKind.ExistingSession ? traced.ConnectionId : null,
                ReplyDirection = kind == FlowStepKind.ExistingSession ? traced.ReplyDirection : null,
            };
        }
        else if (traced.Table == NftRuleset.TraceTableName && traced.Chain == NftRuleset.TraceExitChain
            && traced.OutputInterface is { } device && !packet.Sent)
        {
            packet.Sent = true;
            var tunnel = tunnelOf(device);
            if (packet.Destination is { } destination && nextHopOf?.Invoke(destination, traced.Mark ?? 0) is { } hop)
            {
                // A policy-based tunnel's device is SharpSwan's own: the admin knows it by its phase 1.
                yield return new FlowStep(packet.Number, FlowStepKind.Route) { NextHop = hop, Interface = tunnel?.Phase1 ?? device, Where = where };
            }

            yield return new FlowStep(packet.Number, FlowStepKind.Sent)
            {
                Interface = device,
                Tunnel = tunnel?.Phase1,
                PolicyBased = tunnel?.PolicyBased ?? false,
                Where = where,
            };
            if (tunnel is not null)
            {
                // The packet core reads it from the device next: its step joins this packet's trace.
                if (_pending.Remove(packet.Identity, out var core))
                {
                    foreach (var step in Joined(packet.Number, core))
                    {
                        yield return step;
                    }
                }
                else
                {
                    _enteredTunnel[packet.Identity] = packet.Number;
                }
            }
        }
    }

    /// <summary>The step of what the packet core did with a packet the trace follows, once the kernel's trace of it was read.</summary>
    public IEnumerable<FlowStep> Interpret(TunnelStep core)
    {
        ArgumentNullException.ThrowIfNull(core);
        switch (core.Outcome)
        {
            case TunnelOutcome.DecryptedOutsideSelectors:
                // Dropped before the kernel sees it: a packet of the trace of its own.
                if (!Full)
                {
                    yield return CoreStep(++_followed, core);
                }

                break;
            case TunnelOutcome.Released:
                // The same packet as its held step, which the trace followed; one held before the trace began is a packet of its own.
                if (_held.Remove(core.Packet, out var heldAs))
                {
                    yield return CoreStep(heldAs, core);
                }
                else if (_pending.TryGetValue(core.Packet, out var waiting) && waiting.Outcome == TunnelOutcome.Held)
                {
                    // Released before the kernel's trace of it was read: it follows its held step once that joins.
                    _pendingReleased[core.Packet] = core;
                }
                else if (!Full)
                {
                    yield return CoreStep(++_followed, core);
                }

                break;
            case TunnelOutcome.Decrypted:
                if (_fromTunnel.Remove(core.Packet, out var received))
                {
                    yield return CoreStep(received, core);
                }
                else if (_pendingDecrypted.Count < PendingLimit)
                {
                    _pendingDecrypted[core.Packet] = core;
                }

                break;
            default:
                if (_enteredTunnel.Remove(core.Packet, out var number))
                {
                    foreach (var step in Joined(number, core))
                    {
                        yield return step;
                    }
                }
                else if (_pending.Count < PendingLimit)
                {
                    _pending[core.Packet] = core;
                }

                break;
        }
    }

    /// <summary>
    /// The core step of followed packet <paramref name="number"/>; a held one's release comes with it if it already came,
    /// else its number is kept for it.
    /// </summary>
    private IEnumerable<FlowStep> Joined(int number, TunnelStep core)
    {
        yield return CoreStep(number, core);
        if (core.Outcome != TunnelOutcome.Held)
        {
            yield break;
        }

        if (_pendingReleased.Remove(core.Packet, out var released))
        {
            yield return CoreStep(number, released);
        }
        else if (_held.Count < PendingLimit)
        {
            _held[core.Packet] = number;
        }
    }

    private static FlowStep CoreStep(int number, TunnelStep core) =>
        new(number, FlowStepKind.Tunnel) { Core = core, Tunnel = core.Phase1, Where = "packet-core/outbound" };

    private sealed class Packet(int number)
    {
        public int Number { get; } = number;

        public bool Received { get; set; }

        public bool Sent { get; set; }

        public uint? Destination { get; set; }

        public HashSet<FlowStepKind> SessionShown { get; } = [];

        public FlowPacketIdentity Identity;
    }
}
