using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// One test's world: the two-site topology, the peers and gateways started in it, and failure messages that
/// carry the last log lines of every one of them. Disposing it tears everything down, also after a failure.
/// </summary>
public sealed class InteropScenario : IDisposable
{
    public const int DiagnosticLines = 60;

    private readonly List<StrongSwanPeer> _peers = [];
    private readonly List<SharpSwanGateway> _gateways = [];
    private bool _disposed;

    private InteropScenario(string testName, TwoSiteTopology topology)
    {
        TestName = testName;
        Topology = topology;
        DiagnosticsDirectory = RepositoryLayout.DiagnosticsDirectoryFor(testName);
        WorkDirectory = RepositoryLayout.CreateWorkDirectory(testName);
        PreSharedKey = "interop-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
    }

    public string TestName { get; }

    public TwoSiteTopology Topology { get; }

    public NetworkNamespace A => Topology.A;

    public NetworkNamespace B => Topology.B;

    /// <summary>Kept after the run: gateway and charon logs, configs, captures.</summary>
    public string DiagnosticsDirectory { get; }

    public string WorkDirectory { get; }

    public string PreSharedKey { get; }

    public static InteropScenario Create(string testName) => new(testName, TwoSiteTopology.Create());

    /// <summary>strongSwan in B facing the SharpSwan side in A (AES-GCM-256 / ECP-384 unless changed with <c>with</c>).</summary>
    public StrongSwanConnection BranchConnection() => new()
    {
        LocalAddress = TwoSiteTopology.WanAddressB,
        RemoteAddress = TwoSiteTopology.WanAddressA,
        LocalSubnet = TwoSiteTopology.LanSubnetB,
        RemoteSubnet = TwoSiteTopology.LanSubnetA,
        PreSharedKey = PreSharedKey,
    };

    /// <summary>The mirror image of <see cref="BranchConnection"/>, for a strongSwan peer in A.</summary>
    public StrongSwanConnection HeadquartersConnection() => new()
    {
        LocalAddress = TwoSiteTopology.WanAddressA,
        RemoteAddress = TwoSiteTopology.WanAddressB,
        LocalSubnet = TwoSiteTopology.LanSubnetA,
        RemoteSubnet = TwoSiteTopology.LanSubnetB,
        PreSharedKey = PreSharedKey,
    };

    /// <summary>The SharpSwan configuration in A from the project brief, with this scenario's PSK.</summary>
    public SharpSwanConfig HeadquartersConfig() => new() { PreSharedKey = PreSharedKey };

    /// <summary>Starts charon in <paramref name="ns"/> and loads the connection.</summary>
    public StrongSwanPeer StartStrongSwan(NetworkNamespace ns, StrongSwanConnection connection, string label) =>
        StartStrongSwan(ns, connection.RenderSwanctlConf(), label, connection.CredentialFiles());

    /// <summary>The same with the credential files first (relative path to content, e.g. "x509/me.crt").</summary>
    public StrongSwanPeer StartStrongSwan(NetworkNamespace ns, string swanctlConf, IReadOnlyDictionary<string, string> files, string label) =>
        StartStrongSwan(ns, swanctlConf, label, files);

    /// <summary>
    /// Starts charon on a ready-made swanctl.conf (with credential <paramref name="files"/> next to it), loads it, and
    /// stops charon when the scenario ends.
    /// </summary>
    public StrongSwanPeer StartStrongSwan(NetworkNamespace ns, string swanctlConf, string label, IReadOnlyDictionary<string, string>? files = null)
    {
        StrongSwanPeer peer = StrongSwanPeer.Start(ns, swanctlConf, files ?? new Dictionary<string, string>(), label, DiagnosticsDirectory);
        _peers.Add(peer);
        peer.LoadAll();
        return peer;
    }

    /// <summary>Starts the gateway and fails the test (with its output) if its control socket never appears.</summary>
    public SharpSwanGateway StartSharpSwan(
        NetworkNamespace ns, SharpSwanConfig config, string label, bool timestampLines = false, GatewayLaunch? launch = null) =>
        StartSharpSwan(ns, config.Render(), label, timestampLines, launch);

    /// <summary>Starts the gateway on a ready-made configuration text (e.g. a policy-based one).</summary>
    public SharpSwanGateway StartSharpSwan(
        NetworkNamespace ns, string configuration, string label, bool timestampLines = false, GatewayLaunch? launch = null)
    {
        SharpSwanGateway gateway;
        try
        {
            gateway = SharpSwanGateway.Start(ns, configuration, label, DiagnosticsDirectory, timestampLines, launch: launch);
        }
        catch (InvalidOperationException exception)
        {
            throw new Xunit.Sdk.XunitException($"Expected: the SharpSwan gateway starts\n{exception.Message}\n{Diagnostics()}");
        }

        _gateways.Add(gateway);
        Require(gateway.WaitUntilReady(TimeSpan.FromSeconds(30)), $"gateway {label} opens its control socket {gateway.ControlSocket}");
        return gateway;
    }

    public void Require([DoesNotReturnIf(false)] bool condition, string expectation)
    {
        if (!condition)
        {
            Fail(expectation);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails with diagnostics after <paramref name="timeout"/>.</summary>
    public void WaitFor(Func<bool> condition, TimeSpan timeout, string expectation) =>
        Require(Wait.Until(condition, timeout, TimeSpan.FromMilliseconds(500)), $"{expectation} (waited {timeout.TotalSeconds:0} s)");

    /// <summary>
    /// Polls until strongSwan lists an INSTALLED CHILD_SA and <paramref name="gateway"/> an outbound SA. When SharpSwan
    /// initiates, strongSwan installs first (before it answers IKE_AUTH or quick mode), so traffic sent the moment strongSwan
    /// lists its SA can still meet SharpSwan's on-demand drop while the answer is processed on a loaded machine.
    /// </summary>
    public void WaitForChildSa(StrongSwanPeer branch, SharpSwanGateway gateway, TimeSpan timeout, string expectation)
    {
        WaitFor(() => branch.InstalledChildSas().Count > 0, timeout, expectation);
        WaitFor(() => FortiOsOutput.EncryptSpis(gateway.Cli("diagnose vpn tunnel list")).Count > 0, timeout, "SharpSwan lists an outbound SA");
    }

    /// <summary>
    /// Starts `diagnose debug flow` on <paramref name="gateway"/> (in A) as an admin types it: the filter commands,
    /// `trace start <paramref name="count"/>`, `debug enable`. Returns once the gateway (running without root) has its trace
    /// table in, so the next matching packet is traced; the stream ends by itself after the count.
    /// </summary>
    public BackgroundProcess StartFlowTrace(SharpSwanGateway gateway, int count, params string[] filters)
    {
        var flow = gateway.StreamCli(DiagnosticsDirectory, "flow", [.. filters, $"diagnose debug flow trace start {count}", "diagnose debug enable"]);
        Require(
            Wait.Until(() => A.Exec("nft", "list", "table", "ip", "sharpswan_trace").Succeeded || flow.HasExited, TimeSpan.FromSeconds(20)),
            "the gateway (running without root) installed its trace table");
        return flow;
    }

    /// <summary>Most of <paramref name="count"/> echo requests are answered (one loss is tolerated).</summary>
    public void RequirePing(NetworkNamespace ns, string source, string destination, int count = 5)
    {
        int received = Traffic.Ping(ns, source, destination, count);
        Require(received >= count - 1, $"ping {source} -> {destination} through the tunnel: {received}/{count} replies");
    }

    [DoesNotReturn]
    public void Fail(string expectation) => Assert.Fail($"Expected: {expectation}\n{Diagnostics()}");

    /// <summary>The state and recent log lines of every process in the scenario.</summary>
    public string Diagnostics()
    {
        var text = new StringBuilder();
        text.AppendLine($"(full logs in {DiagnosticsDirectory})");
        foreach (SharpSwanGateway gateway in _gateways)
        {
            string state = gateway.HasExited ? $"exited with code {gateway.ExitCode}" : "running";
            text.AppendLine($"---- SharpSwan gateway {gateway.Label} ({state}), last {DiagnosticLines} lines ----");
            text.AppendLine(string.Join('\n', gateway.Tail(DiagnosticLines)));
        }

        foreach (StrongSwanPeer peer in _peers)
        {
            text.AppendLine($"---- charon {peer.Label} ({(peer.HasExited ? "exited" : "running")}): swanctl --list-sas ----");
            text.AppendLine(peer.HasExited ? "(not running)" : peer.ListSas());
            text.AppendLine($"---- charon {peer.Label}, last {DiagnosticLines} log lines ----");
            text.AppendLine(string.Join('\n', peer.LogTail(DiagnosticLines)));
        }

        return text.ToString();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (SharpSwanGateway gateway in Enumerable.Reverse(_gateways))
        {
            gateway.Dispose();
        }

        foreach (StrongSwanPeer peer in Enumerable.Reverse(_peers))
        {
            peer.Dispose();
        }

        Topology.Dispose();
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The scratch root is swept by test.sh.
        }
    }
}
