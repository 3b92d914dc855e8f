namespace SharpSwan.Ike.Logging;

public sealed class NullIkeLog : IIkeLog
{
    public static readonly NullIkeLog Instance = new();

    public bool IsEnabled(IkeLogLevel level) => false;

    public void Write(IkeLogLevel level, string line)
    {
    }
}
