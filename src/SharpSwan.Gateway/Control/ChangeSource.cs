namespace SharpSwan.Gateway.Control;

/// <summary>The way a configuration change reached the gateway.</summary>
public enum ChangeSource
{
    /// <summary>The CLI over the control socket (<c>sharpswan cli</c>).</summary>
    Cli,

    /// <summary>The REST API (<c>/api/v2/cmdb</c>), with an api-user's token or a GUI session's CSRF token.</summary>
    Rest,

    /// <summary>A web GUI page.</summary>
    Gui,

    /// <summary>SIGHUP (<c>systemctl reload sharpswan</c>): the configuration file read again.</summary>
    Reload,
}
