using System.Net;
using Microsoft.Extensions.Time.Testing;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;

namespace SharpSwan.Ike.Tests.Support;

/// <summary>
/// Two real IKE engines on one virtual clock, joined by an in-memory link that delivers each datagram in order (or drops
/// what <see cref="Drop"/> says). Each side records the events its engine publishes. No data plane: child SAs are only
/// counted, and no traffic is ever seen on them.
/// </summary>
public sealed class EngineLink : IDisposable
{
    public const string PhaseA = "to-b";
    public const string Phase2A = "to-b-p2";
    public const string PhaseB = "to-a";
    public const string Phase2B = "to-a-p2";
    public const string AddressA = "192.0.2.1";
    public const string AddressB = "198.51.100.2";
    public const string Psk = "link-secret-psk-value";

    private readonly Queue<(Side To, IPEndPoint From, IPEndPoint At, byte[] Bytes)> _inFlight = new();

    /// <param name="pskB">B's pre-shared key; another one than A's makes authentication fail.</param>
    /// <param name="phase1Extra">Extra `set` lines for both phase 1s.</param>
    /// <param name="phase2Extra">Extra `set` lines for both phase 2s.</param>
    /// <param name="remoteOfB">B's remote-gw when it should not be A's address (B then knows no phase 1 for A).</param>
    public EngineLink(string pskB = Psk, string phase1Extra = "", string phase2Extra = "", string? remoteOfB = null)
    {
        A = new Side(this, "A");
        B = new Side(this, "B");
        var options = new IkeEngineOptions { LocalAddressResolver = p => p.LocalGateway };
        var configA = Parse(PhaseA, Phase2A, AddressA, AddressB, "10.1.0.0", "10.2.0.0", Psk, phase1Extra, phase2Extra);
        var configB = Parse(PhaseB, Phase2B, AddressB, remoteOfB ?? AddressA, "10.2.0.0", "10.1.0.0", pskB, phase1Extra, phase2Extra);
        A.Engine = new IkeEngine(configA, options, Clock, new SeededRandomSource(1), A, NullIkeLog.Instance);
        B.Engine = new IkeEngine(configB, options, Clock, new SeededRandomSource(2), B, NullIkeLog.Instance);
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public Side A { get; }

    public Side B { get; }

    /// <summary>Datagrams for which this returns true are lost on the link.</summary>
    public Func<Side, bool> Drop { get; set; } = _ => false;

    /// <summary>Delivers everything in flight, then runs both engines' timers until <paramref name="duration"/> has passed.</summary>
    public void Run(TimeSpan duration)
    {
        var end = Clock.GetUtcNow() + duration;
        while (true)
        {
            Deliver();
            var next = Earliest(A.Engine.NextDeadline(), B.Engine.NextDeadline());
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
        A.Engine.Dispose();
        B.Engine.Dispose();
    }

    private void Tick()
    {
        A.Engine.Tick();
        B.Engine.Tick();
    }

    private void Deliver()
    {
        while (_inFlight.TryDequeue(out var datagram))
        {
            datagram.To.Engine.ReceiveDatagram(datagram.At, datagram.From, datagram.Bytes);
        }
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a < b ? a : b);

    private static GatewayConfiguration Parse(string phase1, string phase2, string local, string remote, string localNet, string remoteNet, string psk, string phase1Extra, string phase2Extra)
    {
        var result = ConfigurationLoader.Parse(
            $$"""
            config vpn ipsec phase1-interface
                edit "{{phase1}}"
                    set interface "eth0"
                    set ike-version 2
                    set local-gw {{local}}
                    set remote-gw {{remote}}
                    set proposal aes256gcm-prfsha384
                    set dhgrp 20
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
            """,
            phase1 + ".conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Configuration!;
    }

    /// <summary>One end: its engine, the events it published, and the link as its host.</summary>
    public sealed class Side(EngineLink link, string name) : IIkeEngineHost
    {
        public IkeEngine Engine { get; set; } = null!;

        public List<IkeEvent> Events { get; } = [];

        public string Name => name;

        /// <summary>The recorded events of one type, in order.</summary>
        public List<T> Of<T>() where T : IkeEvent => [.. Events.OfType<T>()];

        public void SendIke(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> message)
        {
            var to = this == link.A ? link.B : link.A;
            if (!link.Drop(to))
            {
                link._inFlight.Enqueue((to, local, remote, message.ToArray()));
            }
        }

        public void InstallChildSa(ChildSaInstall install)
        {
        }

        public void ActivateOutbound(string phase1, string phase2, uint outboundSpi)
        {
        }

        public void RemoveChildSa(string phase1, string phase2, uint inboundSpi, uint outboundSpi)
        {
        }

        public ChildSaActivity GetActivity(uint inboundSpi, uint outboundSpi) => default;

        public void Publish(IkeEvent e) => Events.Add(e);

        public override string ToString() => name;
    }
}
