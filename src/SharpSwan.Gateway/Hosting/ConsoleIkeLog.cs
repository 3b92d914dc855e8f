using SharpSwan.Ike.Logging;

namespace SharpSwan.Gateway.Hosting;

/// <summary>
/// Writes IKE debug lines to standard output when their level is within the one chosen on the command line
/// (`--log-level -1` shows everything, as `diagnose debug application ike -1` does), and keeps the recent ones.
/// </summary>
public sealed class ConsoleIkeLog(int level, TextWriter output, TimeProvider time) : IIkeLog
{
    private readonly Lock gate = new();
    private readonly Queue<string> recent = new();

    public const int RecentCapacity = 2000;

    public bool IsEnabled(IkeLogLevel candidate) => level < 0 || (int)candidate <= level || Subscribers > 0;

    /// <summary>Number of live debug listeners (control-socket clients); they see everything.</summary>
    public int Subscribers { get; set; }

    public event Action<string>? LineWritten;

    public void Write(IkeLogLevel candidate, string line)
    {
        var stamped = $"{time.GetLocalNow():yyyy-MM-dd HH:mm:ss} {line}";
        lock (gate)
        {
            recent.Enqueue(stamped);
            while (recent.Count > RecentCapacity)
            {
                recent.Dequeue();
            }

            if (level < 0 || (int)candidate <= level)
            {
                output.WriteLine(line);
                output.Flush();
            }
        }

        LineWritten?.Invoke(stamped);
    }

    public IReadOnlyList<string> Recent()
    {
        lock (gate)
        {
            return recent.ToList();
        }
    }
}
