using System.Diagnostics;

namespace SharpSwan.Demo;

/// <summary>strongSwan (charon + kernel-libipsec) as the demo's branch gateway, in its own namespace with a private /run.</summary>
internal sealed class StrongSwanDemoPeer(string ns, string directory, string psk) : IDisposable
{
    public const string Charon = "/usr/lib/ipsec/charon";
    private Process? _charon;

    private string Vici => $"unix://{directory}/charon.vici";

    public void Start()
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "strongswan.conf"), $$"""
            charon {
              plugins {
                include /etc/strongswan.d/charon/*.conf
                kernel-libipsec { load = yes }
                vici { socket = {{Vici}} }
              }
              filelog { f { path = {{directory}}/charon.log
                default = 1 } }
              syslog { daemon { default = -1 } auth { default = -1 } }
            }
            """);
        File.WriteAllText(Path.Combine(directory, "swanctl.conf"), $$"""
            connections { hq { version = 2
              local_addrs = 192.0.2.2
              remote_addrs = 192.0.2.1
              encap = yes
              proposals = aes256gcm16-prfsha384-ecp384
              local { auth = psk
                id = 192.0.2.2 }
              remote { auth = psk
                id = 192.0.2.1 }
              children { lan { local_ts = 10.2.0.0/24
                remote_ts = 10.1.0.0/24
                esp_proposals = aes256gcm16-ecp384 } } } }
            secrets { ike-1 { secret = "{{psk}}" } }
            """);
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "netns", "exec", ns, "unshare", "-m", "--propagation", "private", "sh", "-c", $"mount -t tmpfs tmpfs /run && exec env STRONGSWAN_CONF={directory}/strongswan.conf {Charon}" })
        {
            start.ArgumentList.Add(argument);
        }

        _charon = Process.Start(start) ?? throw new InvalidOperationException("cannot start charon");
        _charon.BeginOutputReadLine();
        _charon.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!File.Exists(Path.Combine(directory, "charon.vici")))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("charon did not open its vici socket");
            }

            Thread.Sleep(100);
        }

        var (code, text) = DemoRunner.Exec("ip", "netns", "exec", ns, "swanctl", "--load-all", "--file", Path.Combine(directory, "swanctl.conf"), "--uri", Vici);
        if (code != 0)
        {
            throw new InvalidOperationException($"swanctl --load-all failed: {text}");
        }
    }

    public string ListSas() => DemoRunner.Exec("ip", "netns", "exec", ns, "swanctl", "--list-sas", "--uri", Vici).Output;

    public void Dispose()
    {
        if (_charon is { HasExited: false })
        {
            DemoRunner.Exec("pkill", "-TERM", "-P", _charon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            _charon.Kill(entireProcessTree: true);
            _charon.WaitForExit(TimeSpan.FromSeconds(5));
        }

        _charon?.Dispose();
    }
}
