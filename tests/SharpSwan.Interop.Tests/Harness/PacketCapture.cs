namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// <c>tcpdump -n -l</c> on one interface of a namespace, printing a line per packet; the lines are read while it
/// runs. Disposing it stops tcpdump.
/// </summary>
public sealed class PacketCapture : IDisposable
{
    private readonly BackgroundProcess _tcpdump;

    private PacketCapture(BackgroundProcess tcpdump) => _tcpdump = tcpdump;

    /// <summary>Starts tcpdump and returns once it says it is listening (or throws with its output).</summary>
    public static PacketCapture Start(NetworkNamespace ns, string interfaceName, string filter, string logPath)
    {
        BackgroundProcess tcpdump = BackgroundProcess.Start(
            ns.Wrap("tcpdump", "-n", "-l", "-i", interfaceName, filter), logPath);
        var capture = new PacketCapture(tcpdump);
        bool listening = Wait.Until(
            () => tcpdump.HasExited || tcpdump.Lines().Any(line => line.Contains("listening on", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(15));
        if (!listening || tcpdump.HasExited)
        {
            string output = string.Join('\n', tcpdump.Lines());
            capture.Dispose();
            throw new InvalidOperationException($"tcpdump on {interfaceName} did not start listening:\n{output}");
        }

        return capture;
    }

    /// <summary>The packet lines so far (IPv4 packets only: tcpdump's own messages and counters left out).</summary>
    public IReadOnlyList<string> Packets() =>
        _tcpdump.Lines()
            .Where(line => line.Length > 0 && char.IsDigit(line[0]) && line.Contains(" IP ", StringComparison.Ordinal))
            .ToList();

    public void Dispose() => _tcpdump.Dispose();
}
