namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// A strongSwan 5.9 charon with the kernel-libipsec data plane, running inside a namespace with a private
/// /run (charon keeps its pid file there, so two charons on one machine would otherwise collide).
/// swanctl talks to it through a vici socket in its own temporary directory.
/// </summary>
public sealed class StrongSwanPeer : IDisposable
{
    private const string CharonBinary = "/usr/lib/ipsec/charon";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private readonly string _workDirectory;
    private readonly string _diagnosticsDirectory;
    private readonly BackgroundProcess _charon;
    private bool _disposed;

    private StrongSwanPeer(string label, string workDirectory, string diagnosticsDirectory, BackgroundProcess charon)
    {
        Label = label;
        _workDirectory = workDirectory;
        _diagnosticsDirectory = diagnosticsDirectory;
        _charon = charon;
    }

    public string Label { get; }

    public string ViciUri => $"unix://{Path.Combine(_workDirectory, "charon.vici")}";

    public string SwanctlConfPath => Path.Combine(_workDirectory, "swanctl.conf");

    public bool HasExited => _charon.HasExited;

    /// <summary>The charon file log (IKE detail at level 2).</summary>
    public string Log
    {
        get
        {
            string path = Path.Combine(_workDirectory, "charon.log");
            return File.Exists(path) ? ReadShared(path) : "";
        }
    }

    /// <summary>Starts charon and waits until its vici socket answers.</summary>
    public static StrongSwanPeer Start(NetworkNamespace ns, StrongSwanConnection connection, string label, string diagnosticsDirectory) =>
        Start(ns, connection.RenderSwanctlConf(), new Dictionary<string, string>(), label, diagnosticsDirectory);

    /// <summary>
    /// Starts charon with a ready-made swanctl.conf; <paramref name="files"/> (relative path to content, e.g.
    /// "x509/client.crt", "private/client.key") go next to it, where swanctl --load-all --file looks for credentials.
    /// </summary>
    public static StrongSwanPeer Start(
        NetworkNamespace ns, string swanctlConf, IReadOnlyDictionary<string, string> files, string label, string diagnosticsDirectory)
    {
        string work = RepositoryLayout.CreateWorkDirectory("charon-" + label);
        File.WriteAllText(Path.Combine(work, "strongswan.conf"), RenderStrongSwanConf(work));
        File.WriteAllText(Path.Combine(work, "swanctl.conf"), swanctlConf);
        foreach ((string relativePath, string content) in files)
        {
            string path = Path.Combine(work, relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        string charonCommand =
            $"mount -t tmpfs tmpfs /run && exec env STRONGSWAN_CONF='{work}/strongswan.conf' {CharonBinary}";
        BackgroundProcess charon = BackgroundProcess.Start(
            ns.Wrap("unshare", "-m", "--propagation", "private", "sh", "-c", charonCommand),
            Path.Combine(diagnosticsDirectory, $"charon-{label}.stdout.log"));
        var peer = new StrongSwanPeer(label, work, diagnosticsDirectory, charon);
        try
        {
            bool ready = Wait.Until(
                () => charon.HasExited || peer.Swanctl(TimeSpan.FromSeconds(5), "--stats").Succeeded,
                StartTimeout);
            if (!ready || charon.HasExited)
            {
                throw new InvalidOperationException(
                    $"charon ({label}) did not come up within {StartTimeout.TotalSeconds} s " +
                    $"(exited: {charon.HasExited}).\n{string.Join('\n', charon.Tail(60))}\n{peer.Log}");
            }

            return peer;
        }
        catch
        {
            peer.Dispose();
            throw;
        }
    }

    /// <summary>Loads the connection and its secret; throws with swanctl's output if that fails.</summary>
    public string LoadAll()
    {
        ProcessResult result = Swanctl(CommandTimeout, "--load-all", "--noprompt", "--file", SwanctlConfPath);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"swanctl --load-all ({Label}) failed: {result.Describe()}");
        }

        return result.StandardOutput;
    }

    /// <summary>Initiates the child (and its IKE SA if needed); swanctl waits for the outcome up to 25 s.</summary>
    public ProcessResult Initiate(string child = StrongSwanConnection.ChildName) =>
        Swanctl(CommandTimeout, "--initiate", "--child", child, "--timeout", "25");

    /// <summary>Queues a rekey of the child SA; returns once charon accepted the request.</summary>
    public ProcessResult Rekey(string child = StrongSwanConnection.ChildName) =>
        Swanctl(CommandTimeout, "--rekey", "--child", child);

    public string ListSas() => Swanctl(CommandTimeout, "--list-sas").StandardOutput;

    public ProcessResult Terminate(string ike = StrongSwanConnection.IkeName) =>
        Swanctl(CommandTimeout, "--terminate", "--ike", ike, "--timeout", "10");

    /// <summary>Kills charon with SIGKILL (a crash): no DELETE reaches the other side.</summary>
    public void Kill() => _charon.Kill();

    public IReadOnlyList<ChildSaEntry> InstalledChildSas() => SwanctlListing.InstalledChildSas(ListSas());

    public IReadOnlyList<string> LogTail(int lines)
    {
        string[] all = Log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return all.Skip(Math.Max(0, all.Length - lines)).ToList();
    }

    public ProcessResult Swanctl(TimeSpan timeout, params string[] arguments) =>
        ProcessRunner.Run("swanctl", [.. arguments, "--uri", ViciUri], timeout);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _charon.Dispose();
        try
        {
            string log = Path.Combine(_workDirectory, "charon.log");
            if (File.Exists(log))
            {
                File.Copy(log, Path.Combine(_diagnosticsDirectory, $"charon-{Label}.log"), overwrite: true);
            }

            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Diagnostics are best effort; the namespace teardown matters more.
        }
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string RenderStrongSwanConf(string work) => $$"""
        charon {
          load_modular = yes
          # Fail within about 20 s instead of the default ~2.5 min when the other side stays silent.
          retransmit_timeout = 2.0
          retransmit_base = 1.4
          retransmit_tries = 4
          plugins {
            include /etc/strongswan.d/charon/*.conf
            kernel-libipsec {
              load = yes
            }
            # A DNS server handed out by mode-cfg must not end up in the host's /etc/resolv.conf.
            resolve {
              load = no
            }
            vici {
              socket = unix://{{work}}/charon.vici
            }
          }
          filelog {
            test {
              path = {{work}}/charon.log
              time_format = %H:%M:%S
              flush_line = yes
              default = 1
              ike = 2
              cfg = 1
            }
          }
          syslog {
            daemon {
              default = -1
            }
            auth {
              default = -1
            }
          }
        }
        """;
}
