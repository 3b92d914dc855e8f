using System.Runtime.CompilerServices;

namespace SharpSwan.Ike.Logging;

/// <summary>
/// Builds the FortiOS line prefix: `ike 0:&lt;phase1&gt;[:&lt;ike serial&gt;][:&lt;phase2&gt;:&lt;child serial&gt;]: `.
/// Callers pass lambda-free strings; the level check happens before any formatting: interpolated text binds to the
/// <see cref="IkeLogText"/> overloads, which format nothing for a level the sink does not show.
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

    public void Global(IkeLogLevel level, [InterpolatedStringHandlerArgument("", "level")] ref IkeLogText text)
    {
        if (text.Enabled)
        {
            Sink.Write(level, $"ike 0: {text.ToStringAndClear()}");
        }
    }

    public void Tunnel(IkeLogLevel level, string phase1, [InterpolatedStringHandlerArgument("", "level")] ref IkeLogText text)
    {
        if (text.Enabled)
        {
            Sink.Write(level, $"ike 0:{phase1}: {text.ToStringAndClear()}");
        }
    }

    public void Sa(IkeLogLevel level, string phase1, int ikeSerial, [InterpolatedStringHandlerArgument("", "level")] ref IkeLogText text)
    {
        if (text.Enabled)
        {
            Sink.Write(level, $"ike 0:{phase1}:{ikeSerial}: {text.ToStringAndClear()}");
        }
    }

    public void Child(IkeLogLevel level, string phase1, int ikeSerial, string phase2, int childSerial, [InterpolatedStringHandlerArgument("", "level")] ref IkeLogText text)
    {
        if (text.Enabled)
        {
            Sink.Write(level, $"ike 0:{phase1}:{ikeSerial}:{phase2}:{childSerial}: {text.ToStringAndClear()}");
        }
    }
}
