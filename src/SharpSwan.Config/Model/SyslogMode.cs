namespace SharpSwan.Config;

/// <summary><c>set mode</c> of <c>config log syslogd setting</c>: how records travel to the server.</summary>
public enum SyslogMode
{
    /// <summary>One UDP datagram per record (RFC 5426).</summary>
    Udp,

    /// <summary>TCP, each record ended by a newline (the old, non-transparent framing of RFC 6587 section 3.4.2).</summary>
    LegacyReliable,

    /// <summary>TCP with octet counting: <c>LEN SP record</c> (RFC 6587 section 3.4.1).</summary>
    Reliable,
}
