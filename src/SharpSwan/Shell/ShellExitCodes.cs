namespace SharpSwan.Shell;

/// <summary>Exit status of <c>sharpswan cli</c>.</summary>
internal static class ShellExitCodes
{
    public const int Success = 0;

    /// <summary>A command failed (FortiOS's <c>Command fail. Return code n</c>), or a config block was left open.</summary>
    public const int CommandFailed = 1;

    /// <summary>No gateway answered, or it went away.</summary>
    public const int NoGateway = 2;
}
