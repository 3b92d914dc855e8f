using System.Net;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Testing;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// Issue 14 item 7: the engine finds tunnels, dial-up instances and due timers through indexes instead of walking every
/// SA and instance. These tests hold the indexes to what the walks did: FortiOS instance names with the lowest free
/// index reused, INITIAL_CONTACT removing exactly the returning peer's instance among many, a static phase 1 chosen over
/// a dial-up one, and a due time that follows an SA's state. The network's engines verify the timer index against a
/// full walk at every step (<see cref="IkeEngineOptions.VerifyTimerIndex"/>).
/// </summary>
public sealed class EngineIndexTests
{
    private const string HubAddress = "198.51.100.2";
    private const string Psk = "index-tests-psk-value";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    [Fact]
    public void Instances_are_numbered_from_zero_and_a_released_index_is_the_next_one_handed_out()
    {
        using var network = new EngineNetwork();
        var hub = network.Add("hub", HubAddress, Hub());
        var clients = Enumerable.Range(0, 5).Select(i => Client(network, i)).ToList();
        clients.ForEach(Connect);
        network.Run(Settle);
        Assert.Equal(["dial_0", "dial_1", "dial_2", "dial_3", "dial_4"], Instances(hub));

        clients[1].Engine.Terminate("to-hub", null);
        clients[3].Engine.Terminate("to-hub", null);
        network.Run(Settle);
        Assert.Equal(["dial_0", "dial_2", "dial_4"], Instances(hub));

        // The lowest free index first, then the next never used.
        var late = Enumerable.Range(5, 3).Select(i => Client(network, i)).ToList();
        foreach (var client in late)
        {
            Connect(client);
            network.Run(Settle);
        }

        Assert.Equal(["dial_0", "dial_1", "dial_2", "dial_3", "dial_4", "dial_5"], Instances(hub));
        Assert.Equal(ClientAddress(5), hub.Engine.FindTunnel("dial_1")!.Current!.Remote.Address);
        Assert.Equal(ClientAddress(6), hub.Engine.FindTunnel("dial_3")!.Current!.Remote.Address);
        Assert.Equal(ClientAddress(7), hub.Engine.FindTunnel("dial_5")!.Current!.Remote.Address);
    }

    [Fact]
    public void Initial_contact_removes_only_the_returning_peers_old_instance_among_many()
    {
        using var network = new EngineNetwork();
        var hub = network.Add("hub", HubAddress, Hub());
        var clients = Enumerable.Range(0, 24).Select(i => Client(network, i)).ToList();
        clients.ForEach(Connect);
        network.Run(Settle);
        Assert.Equal(24, Instances(hub).Count);
        var before = hub.Engine.Tunnels.Where(t => t.IsDialupInstance).ToDictionary(t => t.Name, t => t.Current!.SpiText);

        // Client 17 restarts: a new engine on its address, knowing nothing of its old SA, dials in with INITIAL_CONTACT.
        var returning = clients[17];
        var oldInstance = hub.Engine.Tunnels.Single(t => t.IsDialupInstance && t.Current!.Remote.Address.Equals(returning.Address)).Name;
        returning.Engine.Dispose();
        returning.Engine = NewEngine(network, returning, ClientText(17));
        Connect(returning);
        network.Run(Settle);

        var restart = Assert.Single(hub.Of<PeerRestartDetected>());
        Assert.Equal(oldInstance, restart.Phase1);
        var instances = hub.Engine.Tunnels.Where(t => t.IsDialupInstance).ToList();
        Assert.Equal(24, instances.Count);
        Assert.Single(instances, t => t.Current!.Remote.Address.Equals(returning.Address));

        // Every other peer keeps its instance and its IKE SA; the returning one got the index its old instance gave back.
        foreach (var (name, spis) in before.Where(b => b.Key != oldInstance))
        {
            Assert.Equal(spis, hub.Engine.FindTunnel(name)!.Current!.SpiText);
        }

        Assert.NotEqual(before[oldInstance], hub.Engine.FindTunnel(oldInstance)!.Current!.SpiText);
        Assert.Equal(returning.Address, hub.Engine.FindTunnel(oldInstance)!.Current!.Remote.Address);
    }

    [Fact]
    public void A_static_phase1_for_the_peers_address_wins_over_a_dial_up_one_configured_before_it()
    {
        using var network = new EngineNetwork();
        var known = ClientAddress(9);
        var hubText = Hub() + "\n" + EngineNetwork.SiteToSite("known", "known-p2", HubAddress, known.ToString(), "10.1.0.0", "10.9.0.0", Psk);
        var hub = network.Add("hub", HubAddress, hubText);
        var others = Enumerable.Range(0, 4).Select(i => Client(network, i)).ToList();
        others.ForEach(Connect);
        network.Run(Settle);

        var client = network.Add("known", known.ToString(), EngineNetwork.SiteToSite("to-hub", "to-hub-p2", known.ToString(), HubAddress, "10.9.0.0", "10.1.0.0", Psk));
        Connect(client);
        network.Run(Settle);

        Assert.Equal(known, hub.Engine.FindTunnel("known")!.Current!.Remote.Address);
        Assert.Equal(4, Instances(hub).Count);
        Assert.DoesNotContain(hub.Engine.Tunnels, t => t.IsDialupInstance && t.Current!.Remote.Address.Equals(known));
    }

    [Fact]
    public void An_SA_whose_state_changes_gets_its_new_deadline()
    {
        using var network = new EngineNetwork();
        var a = network.Add("A", "192.0.2.1", EngineNetwork.SiteToSite("to-b", "to-b-p2", "192.0.2.1", HubAddress, "10.1.0.0", "10.2.0.0", Psk, "set dpd disable"));
        var b = network.Add("B", HubAddress, EngineNetwork.SiteToSite("to-a", "to-a-p2", HubAddress, "192.0.2.1", "10.2.0.0", "10.1.0.0", Psk, "set dpd disable"));
        Assert.Null(a.Engine.NextDeadline());

        // A request goes out: its retransmission is the deadline.
        Assert.True(a.Engine.Initiate("to-b", null));
        var retransmit = a.Engine.NextDeadline();
        Assert.NotNull(retransmit);
        Assert.True(retransmit <= network.Clock.GetUtcNow() + TimeSpan.FromSeconds(5));

        // Answered and established: no retransmission any more, the lifetimes are what is due next.
        network.Run(Settle);
        var sa = a.Engine.FindTunnel("to-b")!.Current!;
        Assert.Equal(IkeSaState.Established, sa.State);
        var established = a.Engine.NextDeadline();
        Assert.NotNull(established);
        Assert.True(established > network.Clock.GetUtcNow() + TimeSpan.FromMinutes(10));

        // A rekey started on the established SA brings its retransmission back as the deadline.
        Assert.True(a.Engine.RekeyIke("to-b"));
        var rekeying = a.Engine.NextDeadline();
        Assert.NotNull(rekeying);
        Assert.True(rekeying < established);
        Assert.True(rekeying <= network.Clock.GetUtcNow() + TimeSpan.FromSeconds(5));
        Assert.Empty(a.Engine.TimerIndexViolations);
        Assert.Empty(b.Engine.TimerIndexViolations);
    }

    [Fact]
    public void A_state_change_the_index_was_not_told_of_is_caught_by_the_verification()
    {
        using var network = new EngineNetwork();
        var a = network.Add("A", "192.0.2.1", EngineNetwork.SiteToSite("to-b", "to-b-p2", "192.0.2.1", HubAddress, "10.1.0.0", "10.2.0.0", Psk, "set dpd disable"));
        network.Add("B", HubAddress, EngineNetwork.SiteToSite("to-a", "to-a-p2", HubAddress, "192.0.2.1", "10.2.0.0", "10.1.0.0", Psk, "set dpd disable"));
        Assert.True(a.Engine.Initiate("to-b", null));
        network.Run(Settle);
        var sa = a.Engine.FindTunnel("to-b")!.Current!;
        var indexed = a.Engine.NextDeadline();

        // Behind the engine's back (no entry point, no event): the rekey is due now, which the index cannot know.
        var now = network.Clock.GetUtcNow();
        sa.RekeyAt = now;
        Assert.True(indexed > now);

        var error = Assert.Throws<InvalidOperationException>(() => a.Engine.NextDeadline());
        Assert.Contains("timer index missed a timer", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(a.Engine.TimerIndexViolations);
    }

    [Fact]
    public void Without_verification_the_same_untold_change_leaves_the_index_late_which_is_what_the_check_is_for()
    {
        var options = new IkeEngineOptions { LocalAddressResolver = p => p.LocalGateway, VerifyTimerIndex = false };
        using var network = new EngineNetwork();
        var a = network.Add("A", "192.0.2.1", EngineNetwork.SiteToSite("to-b", "to-b-p2", "192.0.2.1", HubAddress, "10.1.0.0", "10.2.0.0", Psk, "set dpd disable"));
        network.Add("B", HubAddress, EngineNetwork.SiteToSite("to-a", "to-a-p2", HubAddress, "192.0.2.1", "10.2.0.0", "10.1.0.0", Psk, "set dpd disable"));
        a.Engine.Dispose();
        a.Engine = NewEngine(network, a, EngineNetwork.SiteToSite("to-b", "to-b-p2", "192.0.2.1", HubAddress, "10.1.0.0", "10.2.0.0", Psk, "set dpd disable"), options);
        Assert.True(a.Engine.Initiate("to-b", null));
        network.Run(Settle);
        var indexed = a.Engine.NextDeadline();

        var now = network.Clock.GetUtcNow();
        a.Engine.FindTunnel("to-b")!.Current!.RekeyAt = now;

        Assert.Equal(indexed, a.Engine.NextDeadline());
        Assert.True(a.Engine.NextDeadline() > now);
        Assert.Empty(a.Engine.TimerIndexViolations);
    }

    private static string Hub() =>
        EngineNetwork.SiteToSite("dial", "dial-p2", HubAddress, "0.0.0.0", "10.1.0.0", "10.2.0.0", Psk, "set type dynamic");

    private static IPAddress ClientAddress(int i) => new([192, 0, 2, (byte)(10 + i)]);

    private static string ClientText(int i) =>
        EngineNetwork.SiteToSite("to-hub", "to-hub-p2", ClientAddress(i).ToString(), HubAddress, "10.2.0.0", "10.1.0.0", Psk);

    private static EngineNetwork.Node Client(EngineNetwork network, int i) => network.Add($"client{i}", ClientAddress(i).ToString(), ClientText(i));

    private static void Connect(EngineNetwork.Node client) => Assert.True(client.Engine.Initiate("to-hub", null));

    private static List<string> Instances(EngineNetwork.Node hub) => [.. hub.Engine.InstancesOf("dial").Select(t => t.Name)];

    private static IkeEngine NewEngine(EngineNetwork network, EngineNetwork.Node node, string text, IkeEngineOptions? options = null)
    {
        var parsed = ConfigurationLoader.Parse(text, node.Name + "-again.conf");
        Assert.True(parsed.IsValid, string.Join("\n", parsed.Errors));
        options ??= new IkeEngineOptions { LocalAddressResolver = p => p.LocalGateway, VerifyTimerIndex = true };
        return new IkeEngine(parsed.Configuration!, options, network.Clock, new SeededRandomSource(1000), node, NullIkeLog.Instance);
    }
}
