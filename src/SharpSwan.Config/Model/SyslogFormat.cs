namespace SharpSwan.Config;

/// <summary><c>set format</c> of <c>config log syslogd setting</c> (FortiOS also has csv and cef, which SharpSwan refuses).</summary>
public enum SyslogFormat
{
    /// <summary><c>&lt;PRI&gt;</c> followed by the event record exactly as the event log stores it.</summary>
    Default,

    /// <summary>An RFC 5424 header (<c>&lt;PRI&gt;1 TIMESTAMP HOSTNAME sharpswan - - - </c>) before the record.</summary>
    Rfc5424,
}
