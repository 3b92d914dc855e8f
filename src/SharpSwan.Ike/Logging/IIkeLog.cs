namespace SharpSwan.Ike.Logging;

/// <summary>Sink for FortiOS-shaped IKE debug lines (`ike 0:name:serial: text`). Never given secrets.</summary>
public interface IIkeLog
{
    bool IsEnabled(IkeLogLevel level);

    void Write(IkeLogLevel level, string line);
}
