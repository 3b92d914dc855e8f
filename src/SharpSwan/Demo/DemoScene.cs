using System.Diagnostics;
using SharpSwan.Platform;

namespace SharpSwan.Demo;

/// <summary>What the demo builds, and tears down again in Dispose (namespaces, processes, files).</summary>
internal sealed class DemoScene(TextWriter output) : IDisposable
{
    public const string HqNamespace = "ssdemo-hq";
    public const string BranchNamespace = "ssdemo-br";
    private readonly List<Process> _processes = [];
    private readonly List<string> _ikeLines = [];
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("sharpswan-demo-").FullName;
    private StrongSwanDemoPeer? _strongSwan;
    private int _disposed;

    public int Play(string peer)
    {
        RemoveLeftovers();
        output.WriteLine($"== building two namespaces: {HqNamespace} (10.1.0.0/24, WAN 192.0.2.1) and {BranchNamespace} (10.2.0.0/24, WAN 192.0.2.2)");
        Run("ip", "netns", "add", HqNamespace);
        Run("ip", "netns", "add", BranchNamespace);
        Run("ip", "link", "add", "ssd-hq", "type", "veth", "peer", "name", "ssd-br");
        Run("ip", "link", "set", "ssd-hq", "netns", HqNamespace);
        Run("ip", "link", "set", "ssd-br", "netns", BranchNamespace);
        // The LAN address lives on lo (this kernel has no dummy interfaces); the tunnel routes the rest of the /24.
        foreach (var (ns, dev, wan, lan) in new[] { (HqNamespace, "ssd-hq", "192.0.2.1/24", "10.1.0.1/32"), (BranchNamespace, "ssd-br", "192.0.2.2/24", "10.2.0.1/32") })
        {
            Run("ip", "-n", ns, "link", "set", "lo", "up");
            Run("ip", "-n", ns, "addr", "add", wan, "dev", dev);
            Run("ip", "-n", ns, "link", "set", dev, "up");
            Run("ip", "-n", ns, "addr", "add", lan, "dev", "lo");
        }

        var hqConfig = Write("hq.conf", DemoConfigs.Hq);
        output.WriteLine("== hq.conf (SharpSwan, FortiOS syntax):");
        output.Write(DemoConfigs.Hq.Replace(DemoConfigs.Psk, "********", StringComparison.Ordinal));
        var hqControl = Path.Combine(_workDirectory, "hq.sock");
        StartGateway("hq", HqNamespace, hqConfig, hqControl);
        string? branchControl = null;
        if (peer == "strongswan")
        {
            output.WriteLine("== branch: strongSwan 5.9 (charon with kernel-libipsec)");
            _strongSwan = new StrongSwanDemoPeer(BranchNamespace, Path.Combine(_workDirectory, "strongswan"), DemoConfigs.Psk);
            _strongSwan.Start();
        }
        else
        {
            var branchConfig = Write("branch.conf", DemoConfigs.Branch);
            branchControl = Path.Combine(_workDirectory, "branch.sock");
            StartGateway("branch", BranchNamespace, branchConfig, branchControl);
        }

        output.WriteLine("== waiting for the tunnel (auto-negotiate enable on hq)");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        while (!Summary(hqControl).Contains("selectors(total,up): 1/1", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                DumpLog(label: null);
                throw new TimeoutException("the tunnel did not come up within 40 s; the IKE log above says why");
            }

            Thread.Sleep(250);
        }

        output.WriteLine("== tunnel up; pinging 10.2.0.1 from 10.1.0.1 through it");
        var (code, ping) = DemoRunner.Exec("ip", "netns", "exec", HqNamespace, "ping", "-c", "5", "-i", "0.2", "-W", "2", "-I", "10.1.0.1", "10.2.0.1");
        output.Write(ping);
        output.WriteLine("== hq # get vpn ipsec tunnel summary");
        output.Write(Summary(hqControl));
        if (branchControl is not null)
        {
            output.WriteLine("== branch # get vpn ipsec tunnel summary");
            output.Write(Summary(branchControl));
        }
        else if (_strongSwan is not null)
        {
            output.WriteLine("== branch # swanctl --list-sas");
            output.Write(_strongSwan.ListSas());
        }

        output.WriteLine("== the IKE exchange as hq logged it:");
        DumpLog("[hq]");

        output.WriteLine(code == 0 ? "== demo OK: pings crossed the tunnel" : "== demo FAILED: pings did not cross the tunnel");
        return code == 0 ? 0 : 1;
    }

    private void DumpLog(string? label)
    {
        lock (_ikeLines)
        {
            foreach (var line in _ikeLines.Where(l => label is null || l.StartsWith(label, StringComparison.Ordinal)))
            {
                output.WriteLine(line);
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    DemoRunner.Exec("kill", "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
                    {
                        process.Kill(entireProcessTree: true);
                    }
                }
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }

        _strongSwan?.Dispose();
        RemoveLeftovers();
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
        }

        output.WriteLine("== cleaned up: namespaces, gateways and files removed");
    }

    private static void RemoveLeftovers()
    {
        DemoRunner.Exec("ip", "netns", "del", HqNamespace);
        DemoRunner.Exec("ip", "netns", "del", BranchNamespace);
    }

    private void Run(string file, params string[] arguments)
    {
        var (code, text) = DemoRunner.Exec(file, arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {text.Trim()}");
        }
    }

    private string Write(string name, string text)
    {
        // The demo's configurations hold a pre-shared key: owner-only, as the gateway expects of any file with secrets.
        var path = Path.Combine(_workDirectory, name);
        File.WriteAllText(path, string.Empty);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(path, text);
        return path;
    }

    private void StartGateway(string label, string ns, string config, string control)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "netns", "exec", ns, Environment.ProcessPath!, "run", "--config", config, "--control", control, "--state-dir", Path.GetDirectoryName(config)!, "--log-level", "2" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the gateway");
        _processes.Add(process);
        void Collect(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is { } line)
            {
                lock (_ikeLines)
                {
                    _ikeLines.Add($"[{label}] {line}");
                }
            }
        }

        process.OutputDataReceived += Collect;
        process.ErrorDataReceived += Collect;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private static string Summary(string control)
    {
        using var text = new StringWriter();
        var code = ControlClient.SendAsync(control, "get vpn ipsec tunnel summary", text, CancellationToken.None).GetAwaiter().GetResult();
        return code == 0 ? text.ToString() : string.Empty;
    }
}
