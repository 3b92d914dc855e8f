using System.Net;
using Microsoft.Extensions.Time.Testing;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;

namespace SharpSwan.Testing;

/// <summary>
/// Real IKE engines on one virtual clock, joined by an in-memory network that delivers each datagram, in order, to the
/// engine that owns its destination address (datagrams to nobody are lost). Each node records the typed events its engine
/// publishes and hands them to <see cref="Node.Published"/>, where a test connects a consumer (event log, timeline). No
/// data plane: child SAs are only recorded by the engines, and no traffic is ever seen on them. Shared as source by the
/// IKE, gateway and web tests.
/// </summary>
public sealed class EngineNetwork : IDisposable
{
    public static readonly DateTimeOffset DefaultStart = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly List<Node> _nodes = [];
    private readonly Queue<(Node To, IPEndPoint From, IPEndPoint At, byte[] Bytes)> _inFlight = new();

    /// <summary>Datagrams to a node for which this returns true are lost on the way.</summary>
    public Func<Node, bool> Drop { get; set; } = _ => false;

    /// <summary>Takes a datagram to a node off the network when this returns true (the test keeps it, to deliver later or never).</summary>
    public Func<Node, byte[], bool>? Intercept { get; set; }

    /// <summary>A NAT in front of senders: the source endpoint the receiver sees for a datagram sent from the given one.</summary>
    public Func<IPEndPoint, IPEndPoint> SourceNat { get; set; } = source => source;

    /// <summary>The same NAT backwards: the endpoint a datagram sent to a translated one reaches (null: the NAT has no such mapping, lost).</summary>
    public Func<IPEndPoint, IPEndPoint?> DestinationNat { get; set; } = destination => destination;

    /// <summary>Datagrams sent to an address no node owns (e.g. answers to spoofed sources): (from, to, bytes).</summary>
    public List<(IPEndPoint From, IPEndPoint To, byte[] Bytes)> Unrouted { get; } = [];

    public EngineNetwork(DateTimeOffset? start = null) => Clock = new FakeTimeProvider(start ?? DefaultStart);

    public FakeTimeProvider Clock { get; }

    /// <summary>
    /// The datagrams the network carries to <paramref name="to"/> from now on (each <paramref name="which"/> picks), still
    /// delivered: an <see cref="Intercept"/> set before still sees them and may still take them.
    /// </summary>
    public List<byte[]> CaptureTo(Node to, Func<byte[], bool>? which = null)
    {
        var captured = new List<byte[]>();
        var previous = Intercept;
        Intercept = (node, bytes) =>
        {
            if (node == to && (which?.Invoke(bytes) ?? true))
            {
                captured.Add(bytes);
            }

            return previous?.Invoke(node, bytes) ?? false;
        };
        return captured;
    }

    /// <summary>Counts the datagrams the network carries to <paramref name="to"/> from now on, as <see cref="CaptureTo"/> sees them.</summary>
    public Func<int> CountTo(Node to, Func<byte[], bool>? which = null)
    {
        var captured = CaptureTo(to, which);
        return () => captured.Count;
    }

    /// <summary>Starts an engine on <paramref name="configuration"/> (FortiOS text; its phase 1s' local-gw is the node's address).</summary>
    /// <param name="verifyTimerIndex">Off only where the check's own full walk would be in the way (allocation tests).</param>
    /// <param name="systemDnsServers">The host DNS servers the engine is told of (<see cref="IkeEngineOptions.SystemDnsServers"/>); none when null.</param>
    public Node Add(string name, string address, string configuration, bool verifyTimerIndex = true, IReadOnlyList<IPAddress>? systemDnsServers = null)
    {
        var parsed = ConfigurationLoader.Parse(configuration, name + ".conf");
        Assert.True(parsed.IsValid, string.Join("\n", parsed.Errors));
        var node = new Node(this, name, IPAddress.Parse(address));
        // Every step checks the engine's timer index against a full walk (throws on a missed timer).
        var options = new IkeEngineOptions
        {
            LocalAddressResolver = p => p.LocalGateway.Equals(IPAddress.Any) ? node.Address : p.LocalGateway,
            VerifyTimerIndex = verifyTimerIndex,
            SystemDnsServers = () => systemDnsServers ?? [],
        };
        node.Engine = new IkeEngine(parsed.Configuration!, options, Clock, new SeededRandomSource(_nodes.Count + 1), node, NullIkeLog.Instance);
        _nodes.Add(node);
        return node;
    }

    /// <summary>The text of one site-to-site tunnel (one phase 1, one phase 2, IKEv2, PSK) with extra `set` lines for each.</summary>
    /// <summary>
    /// Two engines with mirrored site-to-site tunnels: "a" (192.0.2.1, phase 1 to-branch, 10.1.0.0/24) and "b"
    /// (198.51.100.2, phase 1 to-hq, 10.2.0.0/24). Neither starts anything; <paramref name="phase2Extra"/> goes to both.
    /// </summary>
    public (Node A, Node B) AddSiteToSitePair(string phase1ExtraA = "", string phase2Extra = "") => (
        Add("a", "192.0.2.1", SiteToSite("to-branch", "to-branch-p2", "192.0.2.1", "198.51.100.2", "10.1.0.0", "10.2.0.0", phase1Extra: phase1ExtraA, phase2Extra: phase2Extra)),
        Add("b", "198.51.100.2", SiteToSite("to-hq", "to-hq-p2", "198.51.100.2", "192.0.2.1", "10.2.0.0", "10.1.0.0", phase2Extra: phase2Extra)));

    public static string SiteToSite(string phase1, string phase2, string local, string remote, string localNet, string remoteNet, string psk = "network-secret-psk-value", string phase1Extra = "", string phase2Extra = "") => $$"""
        config vpn ipsec phase1-interface
            edit "{{phase1}}"
                set interface "eth0"
                set ike-version 2
                set local-gw {{local}}
                set remote-gw {{remote}}
                set proposal aes256gcm-prfsha384
                set dhgrp 20
                set auto-negotiate disable
                set psksecret "{{psk}}"
                {{phase1Extra}}
            next
        end
        config vpn ipsec phase2-interface
            edit "{{phase2}}"
                set phase1name "{{phase1}}"
                set proposal aes256gcm
                set dhgrp 20
                set src-subnet {{localNet}} 255.255.255.0
                set dst-subnet {{remoteNet}} 255.255.255.0
                {{phase2Extra}}
            next
        end
        """;

    /// <summary>Delivers everything in flight, then runs every engine's timers until <paramref name="duration"/> has passed.</summary>
    public void Run(TimeSpan duration)
    {
        var end = Clock.GetUtcNow() + duration;
        while (true)
        {
            Deliver();
            var next = _nodes.Select(n => n.Engine.NextDeadline()).Where(d => d is not null).Min();
            if (next is not { } due || due > end)
            {
                Clock.SetUtcNow(end);
                Tick();
                Deliver();
                return;
            }

            if (due > Clock.GetUtcNow())
            {
                Clock.SetUtcNow(due);
            }

            Tick();
        }
    }

    public void Dispose()
    {
        foreach (var node in _nodes)
        {
            node.Engine.Dispose();
        }
    }

    private void Tick()
    {
        foreach (var node in _nodes)
        {
            node.Engine.Tick();
        }
    }

    private void Deliver()
    {
        while (_inFlight.TryDequeue(out var datagram))
        {
            datagram.To.Engine.ReceiveDatagram(datagram.At, SourceNat(datagram.From), datagram.Bytes);
        }
    }

    /// <summary>One gateway: its engine, the events it published, and the network as its host.</summary>
    public sealed class Node(EngineNetwork network, string name, IPAddress address) : IIkeEngineHost
    {
        public string Name => name;

        public IPAddress Address => address;

        public IkeEngine Engine { get; set; } = null!;

        public List<IkeEvent> Events { get; } = [];

        /// <summary>Called with each event as the engine publishes it (on the test's thread, inside the engine call).</summary>
        public event Action<IkeEvent>? Published;

        public List<T> Of<T>() where T : IkeEvent => [.. Events.OfType<T>()];

        public void SendIke(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> message)
        {
            if (network._nodes.Find(n => n.Address.Equals(remote.Address)) is not { } to)
            {
                network.Unrouted.Add((local, remote, message.ToArray()));
            }
            else if (network.Intercept?.Invoke(to, message.ToArray()) == true)
            {
                return;
            }
            else if (!network.Drop(to) && network.DestinationNat(remote) is { } at)
            {
                network._inFlight.Enqueue((to, local, at, message.ToArray()));
            }
        }

        /// <summary>What the engine put in the data plane, in order (there is no data plane: it is only recorded).</summary>
        public List<ChildSaInstall> Installed { get; } = [];

        /// <summary>The outbound SPIs the engine moved outbound traffic to, in order.</summary>
        public List<uint> Activated { get; } = [];

        /// <summary>The inbound SPIs of the SAs the engine took out of the data plane, in order.</summary>
        public List<uint> Removed { get; } = [];

        public void InstallChildSa(ChildSaInstall install) => Installed.Add(install);

        public void ActivateOutbound(string phase1, string phase2, uint outboundSpi) => Activated.Add(outboundSpi);

        public void RemoveChildSa(string phase1, string phase2, uint inboundSpi, uint outboundSpi) => Removed.Add(inboundSpi);

        public ChildSaActivity GetActivity(uint inboundSpi, uint outboundSpi) => default;

        /// <summary>
        /// Takes the engine's public-key work when this returns true (the test runs and completes it, on any thread and in
        /// any order); null, or false: the engine computes inline, as the simulation does.
        /// </summary>
        public Func<EngineComputation, bool>? Offload { get; set; }

        public bool RunElsewhere(EngineComputation computation) => Offload?.Invoke(computation) ?? false;

        /// <summary>
        /// From now on every computation (or each that <paramref name="which"/> picks; the others the engine runs inline) is
        /// kept here, not run: the test runs and completes each itself.
        /// </summary>
        public List<EngineComputation> HoldComputations(Func<EngineComputation, bool>? which = null)
        {
            var held = new List<EngineComputation>();
            Offload = c =>
            {
                if (which?.Invoke(c) == false)
                {
                    return false;
                }

                held.Add(c);
                return true;
            };
            return held;
        }

        /// <summary>Runs a held computation on another thread, as the gateway's pool does, then gives it back to the engine here.</summary>
        public void Complete(EngineComputation computation)
        {
            Task.Run(computation.Run).Wait();
            Engine.CompleteComputation(computation);
        }

        /// <inheritdoc cref="Complete"/>
        public async Task CompleteAsync(EngineComputation computation)
        {
            await Task.Run(computation.Run);
            Engine.CompleteComputation(computation);
        }

        /// <summary>Hands <paramref name="datagram"/> to the engine as if it came from <paramref name="from"/>, port 500 to port 500.</summary>
        public void Receive(string from, byte[] datagram) =>
            Engine.ReceiveDatagram(new IPEndPoint(address, 500), new IPEndPoint(IPAddress.Parse(from), 500), datagram);

        /// <summary>What the engine asked of the data plane when the peer's NAT mapping moved: (child inbound SPIs, new endpoint).</summary>
        public List<(IReadOnlyList<uint> InboundSpis, IPEndPoint Remote)> PeerMoves { get; } = [];

        public void PeerEndpointMoved(IReadOnlyList<uint> inboundSpis, IPEndPoint remote) => PeerMoves.Add((inboundSpis, remote));

        public void Publish(IkeEvent e)
        {
            Events.Add(e);
            Published?.Invoke(e);
        }

        public override string ToString() => name;
    }
}
