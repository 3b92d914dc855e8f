using System.Buffers.Binary;
using System.Text.Json;
using SharpSwan.Esp.Core;
using SharpSwan.Gateway.Policy;
using SharpSwan.Platform;
using SharpSwan.Testing;

namespace SharpSwan.Gateway.Tests.Policy;

/// <summary>
/// A network namespace of the test's own: TUN devices lan0, the policy-based tunnel's device, wan0 and rb (created here,
/// then moved in; the kernel may lack the dummy driver), routes, forwarding on, and the ruleset. Everything goes with the
/// namespace.
/// </summary>
internal sealed class PolicyNamespaceLab : IDisposable
{
    private readonly string _name = "sswpol" + Convert.ToHexString(Guid.NewGuid().ToByteArray().AsSpan(0, 4)).ToLowerInvariant();
    private readonly List<TunDevice> _devices = [];
    private Dictionary<string, long> _last = [];

    public PolicyNamespaceLab(PolicyTunnelDevice device)
    {
        Require("ip", "netns", "add", _name);
        try
        {
            Require("ip", "-n", _name, "link", "set", "lo", "up");
            Require("ip", "netns", "exec", _name, "sysctl", "-qw", "net.ipv4.ip_forward=1");
            Lan = MoveIn("lan0");
            Tunnel = MoveIn(device.Device);
            Wan = MoveIn("wan0");
            MoveIn("rb");

            Require("ip", "-n", _name, "addr", "add", "10.1.0.1/24", "dev", "lan0");
            Require("ip", "-n", _name, "addr", "add", "198.51.100.1/24", "dev", "wan0");
            Require("ip", "-n", _name, "route", "add", "default", "dev", "wan0");
            Require("ip", "-n", _name, "route", "add", "10.3.0.0/16", "dev", "rb");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name => _name;

    public TunDevice Lan { get; } = null!;

    public TunDevice Tunnel { get; } = null!;

    public TunDevice Wan { get; } = null!;

    /// <summary>Runs a command inside the namespace: null on success, else why not.</summary>
    public string? Exec(string program, IReadOnlyList<string> arguments, string? input = null) =>
        ExternalCommand.Run("ip", ["netns", "exec", _name, program, .. arguments], input);

    /// <summary>As <see cref="Exec(string, IReadOnlyList{string}, string?)"/>, giving what it printed.</summary>
    public string? Exec(string program, IReadOnlyList<string> arguments, out string output) =>
        ExternalCommand.Run("ip", ["netns", "exec", _name, program, .. arguments], null, out output);

    /// <summary>Runs <paramref name="body"/> inside the namespace (e.g. a netlink request that acts on the namespace it is made in).</summary>
    public void InNamespace(Action body) => NetworkNamespaceJoin.Run(_name, body);

    public void Load(string ruleset)
    {
        var error = ExternalCommand.Run("ip", ["netns", "exec", _name, "nft", "-f", "-"], ruleset);
        Assert.True(error is null, error);
        _last = Counters();
    }

    /// <summary>Writes one packet of the flow into the device; the counter that moved, or null when none did.</summary>
    public string? Send(TunDevice device, PacketFlow flow)
    {
        var before = _last;
        device.Write(Packet(flow));
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var after = Counters();
            var moved = after.Where(c => c.Value != before.GetValueOrDefault(c.Key)).Select(c => c.Key).ToList();
            _last = after;
            if (moved.Count > 0)
            {
                Assert.True(moved.Count == 1, $"{string.Join(", ", moved)} all counted one packet");
                return moved[0];
            }

            Thread.Sleep(10);
        }

        return null;
    }

    public void Dispose()
    {
        foreach (var device in _devices)
        {
            device.Dispose();
        }

        ExternalCommand.Run("ip", ["netns", "del", _name]);
    }

    private Dictionary<string, long> Counters()
    {
        var error = ExternalCommand.Run("ip", ["netns", "exec", _name, "nft", "-j", "list", "counters", "table", "ip", NftRuleset.TableName], null, out var output);
        Assert.True(error is null, error);
        using var json = JsonDocument.Parse(output);
        return json.RootElement.GetProperty("nftables").EnumerateArray()
            .Where(e => e.TryGetProperty("counter", out _))
            .Select(e => e.GetProperty("counter"))
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("packets").GetInt64());
    }

    private TunDevice MoveIn(string name)
    {
        var device = TunDevice.Create("sst" + Convert.ToHexString(Guid.NewGuid().ToByteArray().AsSpan(0, 4)).ToLowerInvariant());
        _devices.Add(device);
        Require("ip", "link", "set", device.Name, "netns", _name);
        Require("ip", "-n", _name, "link", "set", device.Name, "name", name);
        Require("ip", "-n", _name, "link", "set", name, "up");
        return device;
    }

    /// <summary>An IPv4 packet of the flow with a valid header checksum (the kernel drops others before any hook).</summary>
    private static byte[] Packet(PacketFlow flow)
    {
        var packet = new byte[48];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = flow.Protocol;
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(12), flow.Source);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(16), flow.Destination);
        uint sum = 0;
        for (var i = 0; i < 20; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(i));
        }

        sum = (sum & 0xffff) + (sum >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), (ushort)~((sum & 0xffff) + (sum >> 16)));
        if (flow.HasPorts)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), flow.SourcePort);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), flow.DestinationPort);
            packet[32] = 0x50; // TCP data offset 5 (ignored for UDP)
            packet[33] = 0x02; // SYN
            if (flow.Protocol == 17)
            {
                // The UDP length, so conntrack tracks the datagram (checksum 0: none, as IPv4 allows).
                BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), (ushort)(packet.Length - 20));
            }
        }
        else if (flow.Protocol == 1)
        {
            packet[20] = 8; // echo request
        }

        return packet;
    }

    private static void Require(params string[] command)
    {
        var error = ExternalCommand.Run(command[0], command[1..]);
        Assert.True(error is null, $"{string.Join(' ', command)}: {error}");
    }
}
