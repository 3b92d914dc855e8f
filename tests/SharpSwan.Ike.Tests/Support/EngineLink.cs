using SharpSwan.Ike.Events;
using SharpSwan.Testing;

namespace SharpSwan.Ike.Tests.Support;

/// <summary>
/// Two real IKE engines, A and B, with one site-to-site tunnel between them, on the shared <see cref="EngineNetwork"/>
/// (virtual clock, in-order in-memory delivery, events recorded per end). No data plane.
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

    private readonly EngineNetwork _network = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <param name="pskB">B's pre-shared key; another one than A's makes authentication fail.</param>
    /// <param name="phase1Extra">Extra `set` lines for both phase 1s.</param>
    /// <param name="phase2Extra">Extra `set` lines for both phase 2s.</param>
    /// <param name="remoteOfB">B's remote-gw when it should not be A's address (B then knows no phase 1 for A).</param>
    /// <param name="phase1ExtraA">Extra `set` lines for A's phase 1 only.</param>
    /// <param name="phase1ExtraB">Extra `set` lines for B's phase 1 only.</param>
    /// <param name="headA">Configuration text before A's tunnel (certificate tables).</param>
    /// <param name="headB">Configuration text before B's tunnel.</param>
    /// <param name="tailA">Configuration text after A's tunnel (more phase 2s of it).</param>
    /// <param name="tailB">Configuration text after B's tunnel.</param>
    public EngineLink(string pskB = Psk, string phase1Extra = "", string phase2Extra = "", string? remoteOfB = null, string phase1ExtraA = "", string phase1ExtraB = "", string headA = "", string headB = "", string tailA = "", string tailB = "")
    {
        A = _network.Add("A", AddressA, headA + EngineNetwork.SiteToSite(PhaseA, Phase2A, AddressA, AddressB, "10.1.0.0", "10.2.0.0", Psk, phase1Extra + "\n" + phase1ExtraA, phase2Extra) + tailA);
        B = _network.Add("B", AddressB, headB + EngineNetwork.SiteToSite(PhaseB, Phase2B, AddressB, remoteOfB ?? AddressA, "10.2.0.0", "10.1.0.0", pskB, phase1Extra + "\n" + phase1ExtraB, phase2Extra) + tailB);
    }

    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => _network.Clock;

    /// <summary>A link on which A has brought the tunnel up (IKE SA and child on both ends).</summary>
    public static EngineLink Established() => BringUp(new EngineLink());

    /// <summary>A and B speaking IKEv1 (main or aggressive mode, PSK, PFS on), not yet up.</summary>
    public static EngineLink Ikev1(string mode = "main") => new(
        phase1Extra: $"set ike-version 1\nset mode {mode}\nset proposal aes128-sha256\nset dhgrp 14\nset dpd disable",
        phase2Extra: "set proposal aes128-sha256\nset dhgrp 14\nset pfs enable");

    /// <summary>An IKEv1 link (<see cref="Ikev1"/>, main mode) on which A has brought the tunnel up: ISAKMP SA and IPsec SA on both ends.</summary>
    public static EngineLink EstablishedIkev1() => BringUp(Ikev1());

    /// <summary>A initiates and the link runs 5 s: one IKE SA and one child on each end.</summary>
    private static EngineLink BringUp(EngineLink link)
    {
        Assert.True(link.A.Engine.Initiate(PhaseA, Phase2A));
        link.Run(TimeSpan.FromSeconds(5));
        Assert.Single(link.A.Of<IkeSaEstablished>());
        Assert.Single(link.B.Of<IkeSaEstablished>());
        Assert.Single(link.A.Of<ChildSaInstalled>());
        Assert.Single(link.B.Of<ChildSaInstalled>());
        return link;
    }

    public EngineNetwork.Node A { get; }

    public EngineNetwork.Node B { get; }

    /// <summary>Datagrams to the end for which this returns true are lost on the link.</summary>
    public Func<EngineNetwork.Node, bool> Drop
    {
        get => _network.Drop;
        set => _network.Drop = value;
    }

    /// <summary>Datagrams to an end for which this returns true are taken off the link and given to the test.</summary>
    public Func<EngineNetwork.Node, byte[], bool>? Intercept
    {
        get => _network.Intercept;
        set => _network.Intercept = value;
    }

    /// <summary>Delivers everything in flight, then runs both engines' timers until <paramref name="duration"/> has passed.</summary>
    /// <inheritdoc cref="EngineNetwork.CaptureTo"/>
    public List<byte[]> CaptureTo(EngineNetwork.Node to, Func<byte[], bool>? which = null) => _network.CaptureTo(to, which);

    /// <inheritdoc cref="EngineNetwork.CountTo"/>
    public Func<int> CountTo(EngineNetwork.Node to, Func<byte[], bool>? which = null) => _network.CountTo(to, which);

    public void Run(TimeSpan duration) => _network.Run(duration);

    public void Dispose() => _network.Dispose();
}
