using System.Net;
using System.Net.Sockets;

namespace SharpSwan.Gateway.Hosting;

/// <summary>
/// The host's own DNS servers, which a phase 1 with <c>dns-mode auto</c> pushes to its mode-cfg clients (as a FortiGate
/// pushes its system DNS). Read from the resolver configuration each time a client is answered, so a change on the host is
/// seen by the next client. systemd-resolved's list of upstream servers comes first: its /etc/resolv.conf names only its
/// own stub on 127.0.0.53, which a client cannot reach.
/// </summary>
public static class HostDnsServers
{
    private static readonly string[] Files = ["/run/systemd/resolve/resolv.conf", "/etc/resolv.conf"];

    /// <summary>The IPv4 servers of the first resolver file that names any a client can use; none when no file does.</summary>
    public static IReadOnlyList<IPAddress> Read()
    {
        foreach (var file in Files)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (Parse(text) is { Count: > 0 } servers)
            {
                return servers;
            }
        }

        return [];
    }

    /// <summary>The <c>nameserver</c> lines' IPv4 addresses in order, without loopback ones (the host's own stub resolver).</summary>
    public static IReadOnlyList<IPAddress> Parse(string resolvConf)
    {
        var servers = new List<IPAddress>();
        foreach (var line in resolvConf.Split('\n'))
        {
            var words = line.Split((char[])[' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (words is ["nameserver", var value, ..] && IPAddress.TryParse(value, out var address)
                && address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address) && !servers.Contains(address))
            {
                servers.Add(address);
            }
        }

        return servers;
    }
}
