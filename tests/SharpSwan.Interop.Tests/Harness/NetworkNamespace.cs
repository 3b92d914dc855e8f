using System.Globalization;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// A throw-away Linux network namespace named <c>ssi-&lt;random&gt;</c>. Its name is recorded under the
/// process's scratch directory so test.sh can remove it if this process dies before disposing it.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    public const string NamePrefix = "ssi-";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private readonly string _recordPath;
    private bool _disposed;

    private NetworkNamespace(string name)
    {
        Name = name;
        _recordPath = Path.Combine(RepositoryLayout.ScratchDirectory, "netns", name);
    }

    public string Name { get; }

    public static NetworkNamespace Create()
    {
        string name = NamePrefix + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        var created = new NetworkNamespace(name);
        File.WriteAllText(created._recordPath, "");
        ProcessResult result = ProcessRunner.Run("ip", ["netns", "add", name], DefaultTimeout);
        if (!result.Succeeded)
        {
            File.Delete(created._recordPath);
            throw new InvalidOperationException($"ip netns add {name} failed: {result.Describe()}");
        }

        created.Run("ip", "link", "set", "lo", "up");
        return created;
    }

    /// <summary>Runs a command inside the namespace.</summary>
    public ProcessResult Exec(TimeSpan timeout, params string[] command) =>
        ProcessRunner.Run("ip", ["netns", "exec", Name, .. command], timeout);

    public ProcessResult Exec(params string[] command) => Exec(DefaultTimeout, command);

    /// <summary>Runs a setup command inside the namespace and throws if it fails.</summary>
    public void Run(params string[] command)
    {
        ProcessResult result = Exec(command);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"[{Name}] {string.Join(' ', command)} failed: {result.Describe()}");
        }
    }

    /// <summary>The command line that runs <paramref name="command"/> inside this namespace.</summary>
    public IReadOnlyList<string> Wrap(params string[] command) => ["ip", "netns", "exec", Name, .. command];

    /// <summary>Creates a veth pair directly inside both namespaces (no name clash in the root namespace).</summary>
    public void ConnectVeth(string localInterface, string localCidr, NetworkNamespace peer, string peerInterface, string peerCidr)
    {
        Run("ip", "link", "add", localInterface, "type", "veth", "peer", "name", peerInterface, "netns", peer.Name);
        Run("ip", "addr", "add", localCidr, "dev", localInterface);
        Run("ip", "link", "set", localInterface, "up");
        peer.Run("ip", "addr", "add", peerCidr, "dev", peerInterface);
        peer.Run("ip", "link", "set", peerInterface, "up");
    }

    /// <summary>
    /// A stand-in for a LAN behind the gateway. This kernel has no dummy driver, so it is a veth pair kept
    /// inside the namespace: <paramref name="interfaceName"/> carries the address, its twin stays unaddressed
    /// and keeps the link's carrier up.
    /// </summary>
    public void AddLan(string interfaceName, string cidr)
    {
        string twin = interfaceName + "-far";
        Run("ip", "link", "add", interfaceName, "type", "veth", "peer", "name", twin);
        Run("ip", "addr", "add", cidr, "dev", interfaceName);
        Run("ip", "link", "set", twin, "up");
        Run("ip", "link", "set", interfaceName, "up");
    }

    public void AddLoopbackAddress(string cidr) => Run("ip", "addr", "add", cidr, "dev", "lo");

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;

        // Anything still running in here (iperf3 daemons, tcpdump, stray charons) would keep the namespace alive.
        ProcessResult pids = ProcessRunner.Run("ip", ["netns", "pids", Name], DefaultTimeout);
        foreach (string pid in pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                ProcessRunner.Run("kill", ["-KILL", pid], DefaultTimeout);
            }
        }

        ProcessRunner.Run("ip", ["netns", "del", Name], DefaultTimeout);
        File.Delete(_recordPath);
    }
}
