using System.Net;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Simulation.Tests.Support;

/// <summary>Runs a simulation scenario; any failure is reported with its seed and the simulation's timeline and log.</summary>
internal static class Scenario
{
    public static readonly IPAddress AddressA = IPAddress.Parse("192.0.2.1");
    public static readonly IPAddress AddressB = IPAddress.Parse("192.0.2.2");

    public static void Run(int seed, Action<Simulation> body)
    {
        using var simulation = new Simulation(seed);
        try
        {
            body(simulation);
        }
        catch (Exception ex)
        {
            throw new SimulationFailedException(
                $"simulation failed (replay with seed {seed}): {ex.Message}{Environment.NewLine}{simulation.Describe()}", ex);
        }
    }

    /// <summary>Adds gateways A (192.0.2.1) and B (192.0.2.2) with the given sides of a tunnel.</summary>
    public static (SimulatedGateway A, SimulatedGateway B) AddPair(
        this Simulation simulation,
        TunnelConfig a,
        TunnelConfig b,
        Func<IkeEngineOptions, IkeEngineOptions>? optionsA = null,
        Func<IkeEngineOptions, IkeEngineOptions>? optionsB = null) =>
        (simulation.AddGateway("A", a.Render(), AddressA, optionsA), simulation.AddGateway("B", b.Render(), AddressB, optionsB));

    /// <summary>
    /// Runs until both gateways send on a child SA of the tunnel, or fails after the timeout. An SA in the data plane is not
    /// enough: an IKEv1 responder's takes inbound traffic from quick mode's 2nd message on but sends only after the 3rd.
    /// </summary>
    public static void RunUntilEstablished(this Simulation simulation, SimulatedGateway a, SimulatedGateway b, TimeSpan? timeout = null)
    {
        var up = simulation.RunUntil(
            () => a.InstalledSas.Any(s => s.IsActiveOutbound) && b.InstalledSas.Any(s => s.IsActiveOutbound) && a.IkeSas.Count > 0 && b.IkeSas.Count > 0,
            timeout ?? TimeSpan.FromSeconds(30));
        Assert.True(up, "the tunnel did not come up");
    }

    public static byte[] PacketAToB(int sequence, int payloadBytes = 4) => Packet("10.1.0.5", "10.2.0.7", sequence, payloadBytes);

    public static byte[] PacketBToA(int sequence, int payloadBytes = 4) => Packet("10.2.0.7", "10.1.0.5", sequence, payloadBytes);

    /// <summary>An IPv4 packet whose payload starts with the sequence number (then zeros up to the size).</summary>
    public static byte[] Packet(string source, string destination, int sequence, int payloadBytes = 4)
    {
        var payload = new byte[Math.Max(4, payloadBytes)];
        BitConverter.TryWriteBytes(payload, sequence);
        return Ipv4Packet.Create(IPAddress.Parse(source), IPAddress.Parse(destination), payload);
    }

    /// <summary>The sequence number a packet made by <see cref="Packet"/> carries.</summary>
    public static int SequenceOf(byte[] packet)
    {
        Assert.True(Ipv4Packet.TryRead(packet, out _, out _, out var payload));
        return BitConverter.ToInt32(payload);
    }

    /// <summary>Seconds since the start of the simulation, for readable assertions.</summary>
    public static double Seconds(this Simulation simulation, DateTimeOffset time) => (time - simulation.Clock.Start).TotalSeconds;
}
