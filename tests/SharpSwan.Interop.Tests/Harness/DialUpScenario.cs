using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// One dial-up test's world: the <see cref="DialUpTopology"/>, the SharpSwan gateways (hub, spoke) and strongSwan
/// road warriors started in it, and failure messages that carry the last log lines of every one of them (plus the
/// hub's routes, tunnel summary and event log). Disposing it tears everything down, also after a failure.
/// </summary>
public sealed class DialUpScenario : IDisposable
{
    public const int DiagnosticLines = 60;

    private static readonly TimeSpan EstablishTimeout = TimeSpan.FromSeconds(30);

    private readonly List<StrongSwanPeer> _peers = [];
    private readonly List<(SharpSwanGateway Gateway, NetworkNamespace Namespace)> _gateways = [];
    private bool _disposed;

    private DialUpScenario(string testName, DialUpTopology topology)
    {
        TestName = testName;
        Topology = topology;
        DiagnosticsDirectory = RepositoryLayout.DiagnosticsDirectoryFor(testName);
        WorkDirectory = RepositoryLayout.CreateWorkDirectory(testName);
        PreSharedKey = "dialup-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
    }

    public string TestName { get; }

    public DialUpTopology Topology { get; }

    public NetworkNamespace Hub => Topology.Hub;

    public LabCertificates Certificates => LabCertificates.Shared;

    /// <summary>Kept after the run: gateway and charon logs, configs.</summary>
    public string DiagnosticsDirectory { get; }

    public string WorkDirectory { get; }

    /// <summary>The PSK of the hub's psk phase 1s (random per scenario).</summary>
    public string PreSharedKey { get; }

    public static DialUpScenario Create(string testName)
    {
        DialUpTopology topology = DialUpTopology.Create();
        try
        {
            return new DialUpScenario(testName, topology);
        }
        catch
        {
            topology.Dispose();
            throw;
        }
    }

    /// <summary>A psk dynamic phase 1 with mode-cfg handing out <paramref name="poolStart"/>..<paramref name="poolEnd"/>.</summary>
    public DialUpPhase1 PskPhase1(string name, string? poolStart, string? poolEnd) =>
        new() { Name = name, PreSharedKey = PreSharedKey, PoolStart = poolStart, PoolEnd = poolEnd };

    /// <summary>A signature (certificate) dynamic phase 1 with the hub's certificate and a mode-cfg pool.</summary>
    public static DialUpPhase1 CertificatePhase1(string name, string poolStart, string poolEnd) =>
        new() { Name = name, CertificateName = DialUpHubConfig.LocalCertificateName, PoolStart = poolStart, PoolEnd = poolEnd };

    /// <summary>
    /// Hub configuration; with a signature phase 1 among <paramref name="phase1s"/> also the lab CA and the hub's
    /// certificate (written to files in the work directory).
    /// </summary>
    public DialUpHubConfig HubConfig(params DialUpPhase1[] phase1s)
    {
        if (phase1s.All(phase1 => phase1.CertificateName is null))
        {
            return new DialUpHubConfig { Phase1s = phase1s };
        }

        string certificateFile = Path.Combine(WorkDirectory, "hub.crt");
        string keyFile = Path.Combine(WorkDirectory, "hub.key");
        File.WriteAllText(certificateFile, Certificates.Hub.CertificatePem);
        File.WriteAllText(keyFile, Certificates.Hub.PrivateKeyPem);
        return new DialUpHubConfig
        {
            Phase1s = phase1s,
            Authority = Certificates.Authority,
            LocalCertificate = (certificateFile, keyFile),
        };
    }

    /// <summary>A PSK road warrior towards the hub.</summary>
    public RoadWarriorConnection PskClient(string id, string? preSharedKey = null) => new()
    {
        RemoteAddress = DialUpTopology.HubWanAddress,
        LocalId = id,
        PreSharedKey = preSharedKey ?? PreSharedKey,
    };

    /// <summary>A certificate road warrior towards the hub; trusts the lab CA for the hub's certificate.</summary>
    public RoadWarriorConnection CertificateClient(string id, Crypto.Certificates.IssuedCertificate certificate) => new()
    {
        RemoteAddress = DialUpTopology.HubWanAddress,
        LocalId = id,
        Certificate = certificate,
        AuthorityPem = Certificates.Authority.CertificatePem,
    };

    public SharpSwanGateway StartHub(DialUpHubConfig config, string label = "hub") => StartGateway(Hub, config.Render(), label);

    /// <summary>Starts a SharpSwan gateway and fails the test (with its output) if its control socket never appears.</summary>
    /// <param name="logLevel">The gateway's --log-level (-1: all debug output; a flood test keeps it to events).</param>
    public SharpSwanGateway StartGateway(NetworkNamespace ns, string configText, string label, string logLevel = "-1")
    {
        SharpSwanGateway gateway;
        try
        {
            gateway = SharpSwanGateway.Start(ns, configText, label, DiagnosticsDirectory, timestampLines: true, logLevel);
        }
        catch (InvalidOperationException exception)
        {
            Fail($"the SharpSwan gateway {label} starts\n{exception.Message}");
            throw;
        }

        _gateways.Add((gateway, ns));
        Require(gateway.WaitUntilReady(TimeSpan.FromSeconds(30)), $"gateway {label} opens its control socket {gateway.ControlSocket}");
        return gateway;
    }

    /// <summary>Starts charon for a road warrior in <paramref name="ns"/> and loads its connection and credentials.</summary>
    public StrongSwanPeer StartRoadWarrior(NetworkNamespace ns, RoadWarriorConnection connection, string label)
    {
        StrongSwanPeer peer = StrongSwanPeer.Start(ns, connection.RenderSwanctlConf(), connection.CredentialFiles(), label, DiagnosticsDirectory);
        _peers.Add(peer);
        peer.LoadAll();
        return peer;
    }

    /// <summary>
    /// Initiates the road warrior's child and waits until strongSwan lists it INSTALLED with a virtual IP; returns the IP.
    /// </summary>
    public string Connect(StrongSwanPeer client)
    {
        ProcessResult initiate = client.Initiate();
        Require(initiate.Succeeded, $"{client.Label}: swanctl --initiate --child c succeeds; got {initiate.Describe()}");
        WaitFor(() => client.InstalledChildSas().Count == 1, EstablishTimeout, $"{client.Label} lists one INSTALLED CHILD_SA");
        IReadOnlyList<string> vips = DialUpOutput.VirtualIps(client.ListSas());
        Require(vips.Count == 1, $"{client.Label} lists exactly one virtual IP on its IKE SA; got [{string.Join(", ", vips)}]");
        return vips[0];
    }

    /// <summary>Initiates and expects a refusal: swanctl fails and charon's log has <c>received &lt;notify&gt; notify</c>.</summary>
    public void RequireRefused(StrongSwanPeer client, string notify)
    {
        ProcessResult initiate = client.Initiate();
        Require(!initiate.Succeeded, $"{client.Label}: swanctl --initiate fails (the hub refuses); got {initiate.Describe()}");
        WaitFor(
            () => client.Log.Contains($"received {notify} notify", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            $"{client.Label}'s charon log has 'received {notify} notify'");
        Require(client.InstalledChildSas().Count == 0, $"{client.Label} has no INSTALLED CHILD_SA");
    }

    public string HubRoutes() => Hub.Exec("ip", "-4", "route", "show").StandardOutput;

    /// <summary>The hub's event log records (<c>execute log display</c>).</summary>
    public static IReadOnlyList<string> Events(SharpSwanGateway gateway) => DialUpOutput.EventRecords(gateway.Cli("execute log display"));

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

    /// <summary>As above, with the expectation built after the wait, so it can show the last thing the condition saw.</summary>
    public void WaitFor(Func<bool> condition, TimeSpan timeout, Func<string> expectation)
    {
        if (!Wait.Until(condition, timeout, TimeSpan.FromMilliseconds(500)))
        {
            Fail($"{expectation()} (waited {timeout.TotalSeconds:0} s)");
        }
    }

    /// <summary>Most of <paramref name="count"/> echo requests are answered (one loss is tolerated).</summary>
    public void RequirePing(NetworkNamespace ns, string source, string destination, int count = 5)
    {
        int received = Traffic.Ping(ns, source, destination, count);
        Require(received >= count - 1, $"ping {source} -> {destination} through the tunnel: {received}/{count} replies");
    }

    [DoesNotReturn]
    public void Fail(string expectation)
    {
        string message = $"Expected: {expectation}\n{Diagnostics()}";
        File.WriteAllText(Path.Combine(DiagnosticsDirectory, "failure.txt"), message);
        Assert.Fail(message);
    }

    /// <summary>The state and recent log lines of every process in the scenario.</summary>
    public string Diagnostics()
    {
        var text = new StringBuilder();
        text.AppendLine($"(full logs in {DiagnosticsDirectory})");
        foreach ((SharpSwanGateway gateway, NetworkNamespace ns) in _gateways)
        {
            string state = gateway.HasExited ? $"exited with code {gateway.ExitCode}" : "running";
            text.AppendLine($"---- SharpSwan gateway {gateway.Label} ({state}), last {DiagnosticLines} lines ----");
            text.AppendLine(string.Join('\n', gateway.Tail(DiagnosticLines)));
            if (!gateway.HasExited)
            {
                text.AppendLine($"---- {gateway.Label}: get vpn ipsec tunnel summary ----");
                text.AppendLine(gateway.Cli("get vpn ipsec tunnel summary"));
                text.AppendLine($"---- {gateway.Label}: execute log display ----");
                text.AppendLine(gateway.Cli("execute log display"));
            }

            text.AppendLine($"---- {gateway.Label}: ip -4 route ----");
            text.AppendLine(ns.Exec("ip", "-4", "route", "show").StandardOutput);
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
        foreach ((SharpSwanGateway gateway, _) in Enumerable.Reverse(_gateways))
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
