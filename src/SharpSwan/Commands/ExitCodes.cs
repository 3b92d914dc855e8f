namespace SharpSwan.Commands;

/// <summary>
/// Exit statuses a service manager can act on (sysexits.h): systemd's Restart=on-failure and
/// RestartPreventExitStatus= tell a broken configuration or a missing privilege from a crash.
/// </summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Any other failure: sockets, devices, the web server.</summary>
    public const int Failure = 1;

    /// <summary>EX_NOPERM: the process lacks a capability the gateway needs.</summary>
    public const int NoPermission = 77;

    /// <summary>EX_CONFIG: the configuration file is missing, unreadable or invalid.</summary>
    public const int ConfigurationError = 78;
}
