namespace SharpSwan.Ike.Logging;

/// <summary>
/// Builds the FortiOS line prefix: `ike 0:&lt;phase1&gt;[:&lt;ike serial&gt;][:&lt;phase2&gt;:&lt;child serial&gt;]: `.
/// Callers pass lambdas-free strings; the level check happens before any formatting.
/// </summary>
public sealed class IkeLogger(IIkeLog sink)
{
    public IIkeLog Sink { get; } = sink;

    public bool IsEnabled(IkeLogLevel level) => Sink.IsEnabled(level);

    public void Global(IkeLogLevel level, string text)
    {
        if (Sink.IsEnabled(level))
        {
            Sink.Write(level, $"ike 0: {text}");
        }
    }

    public void Tunnel(IkeLogLevel level, string phase1, string text)
    {
        if (Sink.IsEnabled(level))
        {
            Sink.Write(level, $"ike 0:{phase1}: {text}");
        }
    }

    public void Sa(IkeLogLevel level, string phase1, int ikeSerial, string text)
    {
        if (Sink.IsEnabled(level))
        {
            Sink.Write(level, $"ike 0:{phase1}:{ikeSerial}: {text}");
        }
    }

    public void Child(IkeLogLevel level, string phase1, int ikeSerial, string phase2, int childSerial, string text)
    {
        if (Sink.IsEnabled(level))
        {
            Sink.Write(level, $"ike 0:{phase1}:{ikeSerial}:{phase2}:{childSerial}: {text}");
        }
    }
}
