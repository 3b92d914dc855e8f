using System.Net;
using System.Text.RegularExpressions;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// What the IKEv1 XAUTH interop tests share: a SharpSwan hub whose IKEv1 dial-up phase 1s (AES-CBC with HMAC-SHA-256 and
/// MODP-2048 in both phases, a mode-cfg pool of single addresses) run an XAUTH server for <see cref="Group"/>, strongSwan
/// road warriors logging in as <see cref="User"/>, and the checks of what the hub then shows (its XAUTH user, its event log).
/// </summary>
public sealed partial class Ikev1XauthRig
{
    public const string Group = "vpn-users";
    public const string User = "alice";
    public const string Password = "alice-xauth-pw";

    private readonly DialUpScenario _scenario;
    private IReadOnlyList<DialUpPhase1> _phase1s = [];
    private SharpSwanGateway? _hub;

    public Ikev1XauthRig(DialUpScenario scenario) => _scenario = scenario;

    /// <summary>The hub <see cref="StartHub"/> started.</summary>
    public SharpSwanGateway Hub => _hub ?? throw new InvalidOperationException("the hub is not started yet");

    /// <summary>An IKEv1 dial-up phase 1 (main mode) with the scenario's PSK, this mode-cfg pool and an XAUTH server for <see cref="Group"/>.</summary>
    public DialUpPhase1 Phase1(string name, string poolStart, string poolEnd) => _scenario.PskPhase1(name, poolStart, poolEnd) with
    {
        PoolNetmask = "255.255.255.255",
        Proposal = "aes128-sha256",
        DhGroup = 14,
        Phase2Proposal = "aes128-sha256",
        Phase2DhGroup = 14,
        XauthGroup = Group,
    };

    /// <summary>
    /// Starts the hub with these phase 1s and two XAUTH users: <see cref="User"/> and bob, so that a login is matched by its
    /// name, not by being the only user.
    /// </summary>
    public SharpSwanGateway StartHub(params DialUpPhase1[] phase1s)
    {
        _phase1s = phase1s;
        _hub = _scenario.StartHub(_scenario.HubConfig(phase1s) with { XauthUsers = [(User, Password), ("bob", "bob-xauth-pw")] });
        return _hub;
    }

    /// <summary>A PSK road warrior with this ID (IKEv1, the hub's proposals) logging in as <see cref="User"/>.</summary>
    public RoadWarriorConnection Client(string id, string password = Password) => _scenario.PskClient(id) with
    {
        Version = 1,
        Proposals = "aes128-sha256-modp2048",
        EspProposals = "aes128-sha256-modp2048",
        Xauth = (User, password),
    };

    /// <summary>
    /// Connects the client, requires its virtual IP to be from the pool of the hub's phase 1 <paramref name="phase1"/>, and
    /// pings from it to the hub's LAN and back. Returns the virtual IP.
    /// </summary>
    public string ConnectAndPing(NetworkNamespace clientNamespace, StrongSwanPeer client, string phase1)
    {
        DialUpPhase1 pool = _phase1s.Single(p => p.Name == phase1);
        string vip = _scenario.Connect(client);
        _scenario.Require(
            InRange(vip, pool.PoolStart!, pool.PoolEnd!),
            $"the client's virtual IP {vip} is from {phase1}'s pool {pool.PoolStart}-{pool.PoolEnd}, not another phase 1's");
        _scenario.RequirePing(clientNamespace, vip, DialUpTopology.HubLanAddress);
        _scenario.RequirePing(_scenario.Hub, DialUpTopology.HubLanAddress, vip);
        return vip;
    }

    /// <summary>The hub's <c>diagnose vpn ike gateway list</c> shows the instance with <see cref="User"/> as its XAUTH user; returns that output.</summary>
    public string RequireXauthUser(string instance)
    {
        string gateways = Hub.Cli("diagnose vpn ike gateway list");
        _scenario.Require(
            gateways.Contains($"name: {instance}\n", StringComparison.Ordinal) && gateways.Contains($"xauth-user: {User}\n", StringComparison.Ordinal),
            $"diagnose vpn ike gateway list shows {instance} with xauth-user {User}; got:\n{gateways}");
        return gateways;
    }

    /// <summary>The hub's event log has a tunnel-up record of the instance naming <see cref="User"/> and <see cref="Group"/>; returns all records.</summary>
    public IReadOnlyList<string> RequireTunnelUpRecord(string instance)
    {
        IReadOnlyList<string> events = DialUpScenario.Events(Hub);
        string? up = events.FirstOrDefault(r => Field(r, "action") == "tunnel-up" && Field(r, "vpntunnel") == instance);
        _scenario.Require(
            up is not null && Field(up, "xauthuser") == User && Field(up, "xauthgroup") == Group,
            $"the tunnel-up record of {instance} names xauthuser {User} and xauthgroup {Group}; got: {up}");
        return events;
    }

    /// <summary>One field of an event record (<c>key="value"</c> or <c>key=value</c>); null when absent.</summary>
    public static string? Field(string record, string name) =>
        RecordField().Matches(record).FirstOrDefault(m => m.Groups["key"].Value == name) is { } match ? match.Groups["value"].Value : null;

    private static bool InRange(string address, string first, string last) =>
        IPAddress.TryParse(address, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
        && Order(ip) >= Order(IPAddress.Parse(first)) && Order(ip) <= Order(IPAddress.Parse(last));

    private static uint Order(IPAddress address) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());

    [GeneratedRegex(@"(?<=\s|^)(?<key>[a-z_]+)=(?:""(?<value>[^""]*)""|(?<value>\S+))")]
    private static partial Regex RecordField();
}
