using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>Traffic generators: ping and iperf3, run inside namespaces.</summary>
public static partial class Traffic
{
    /// <summary>Sends <paramref name="count"/> echo requests from <paramref name="source"/>; returns how many replies came back.</summary>
    public static int Ping(NetworkNamespace ns, string source, string destination, int count)
    {
        ProcessResult result = ns.Exec(
            TimeSpan.FromSeconds(count + 10),
            "ping", "-n", "-c", count.ToString(CultureInfo.InvariantCulture), "-i", "0.2", "-W", "2", "-I", source, destination);
        Match received = ReceivedCount().Match(result.StandardOutput);
        return received.Success ? int.Parse(received.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>
    /// Like <see cref="Ping(NetworkNamespace, string, string, int)"/> with <paramref name="payloadBytes"/> of ICMP data: above
    /// the tunnel MTU less 28 the requests and replies cross the tunnel as IP fragments.
    /// </summary>
    public static int Ping(NetworkNamespace ns, string source, string destination, int count, int payloadBytes)
    {
        ProcessResult result = ns.Exec(
            TimeSpan.FromSeconds(count + 10),
            "ping", "-n", "-c", count.ToString(CultureInfo.InvariantCulture), "-i", "0.2", "-W", "2",
            "-s", payloadBytes.ToString(CultureInfo.InvariantCulture), "-I", source, destination);
        Match received = ReceivedCount().Match(result.StandardOutput);
        return received.Success ? int.Parse(received.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>
    /// One TCP iperf3 run from <paramref name="client"/> (bound to <paramref name="clientAddress"/>) to a one-shot
    /// server on <paramref name="serverAddress"/> in <paramref name="server"/>.
    /// </summary>
    public static IperfResult Iperf3Tcp(
        NetworkNamespace client, string clientAddress, NetworkNamespace server, string serverAddress, int seconds, string diagnosticsDirectory, int port = 5201)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        using BackgroundProcess listener = BackgroundProcess.Start(
            server.Wrap("iperf3", "-s", "-1", "-B", serverAddress, "-p", portText),
            Path.Combine(diagnosticsDirectory, $"iperf3-server-{portText}.log"));
        bool listening = Wait.Until(
            () => listener.HasExited || server.Exec("ss", "-Htln", $"sport = :{portText}").StandardOutput.Contains(portText, StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
        if (!listening || listener.HasExited)
        {
            return new IperfResult(false, 0, "iperf3 server did not start:\n" + string.Join('\n', listener.Lines()));
        }

        ProcessResult run = client.Exec(
            TimeSpan.FromSeconds(seconds + 25),
            "iperf3", "-c", serverAddress, "-B", clientAddress, "-p", portText, "-t", seconds.ToString(CultureInfo.InvariantCulture),
            "--connect-timeout", "5000", "-J");
        string output = run.StandardOutput + run.StandardError;
        if (!run.Succeeded)
        {
            return new IperfResult(false, 0, output);
        }

        try
        {
            using JsonDocument json = JsonDocument.Parse(run.StandardOutput);
            double bitsPerSecond = json.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bits_per_second").GetDouble();
            return new IperfResult(true, bitsPerSecond / 1e6, output);
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new IperfResult(false, 0, $"unreadable iperf3 JSON ({exception.Message}):\n{output}");
        }
    }

    // "5 packets transmitted, 5 received, 0% packet loss, time 805ms"
    [GeneratedRegex(@"(\d+) received")]
    private static partial Regex ReceivedCount();
}
