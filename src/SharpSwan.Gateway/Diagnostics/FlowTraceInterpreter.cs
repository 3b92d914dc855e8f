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
public sealed class FlowTraceInterpreter(int limit, Func<ulong, FlowRule?> ruleOf, Func<string, (string Phase1, bool PolicyBased)?> tunnelOf)
{
    private readonly Dictionary<uint, Packet> _packets = [];

    public int Limit { get; } = limit;

    /// <summary>How many packets it follows so far.</summary>
    public int Count => _packets.Count;

    /// <summary>True once <see cref="Limit"/> packets are followed: new ones are no longer taken.</summary>
    public bool Full => _packets.Count >= Limit;

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

            packet = new Packet(_packets.Count + 1);
            _packets[traced.TraceId] = packet;
        }

        var where = $"{traced.Table}/{traced.Chain}";
        if (!packet.Received && traced.NetworkHeader is { } network && FlowPacket.Read(network, traced.TransportHeader) is { } read)
        {
            packet.Received = true;
            var from = traced.InputInterface;
            var tunnel = from is null ? null : tunnelOf(from);
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

            yield return new FlowStep(packet.Number, kind) { PolicyId = rule.PolicyId, Action = rule.Action, Where = where, RuleHandle = handle };
        }
        else if (traced.Table == NftRuleset.TraceTableName && traced.Chain == NftRuleset.TraceExitChain
            && traced.OutputInterface is { } device && !packet.Sent)
        {
            packet.Sent = true;
            var tunnel = tunnelOf(device);
            yield return new FlowStep(packet.Number, FlowStepKind.Sent)
            {
                Interface = device,
                Tunnel = tunnel?.Phase1,
                PolicyBased = tunnel?.PolicyBased ?? false,
                Where = where,
            };
        }
    }

    private sealed class Packet(int number)
    {
        public int Number { get; } = number;

        public bool Received { get; set; }

        public bool Sent { get; set; }

        public HashSet<FlowStepKind> SessionShown { get; } = [];
    }
}
