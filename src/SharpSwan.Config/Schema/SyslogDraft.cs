namespace SharpSwan.Config;

/// <summary><c>log syslogd setting</c> while its settings are applied.</summary>
internal sealed class SyslogDraft
{
    public SyslogSettings Settings { get; set; } = SyslogSettings.Default;
}
