namespace SharpSwan.Platform;

/// <summary>
/// The kernel refused a network configuration request. The message names the operation and its target, then the
/// errno text, e.g. "add route 10.2.0.0/24 dev to-branch: File exists".
/// </summary>
public sealed class NetlinkException : IOException
{
    public NetlinkException(string operation, int errorNumber, string errorText, string? kernelDetail = null)
        : base(FormatMessage(operation, errorText, kernelDetail))
    {
        Operation = operation;
        ErrorNumber = errorNumber;
        KernelDetail = kernelDetail;
    }

    /// <summary>What was attempted, e.g. "add route 10.2.0.0/24 dev to-branch".</summary>
    public string Operation { get; }

    /// <summary>The positive errno value (EEXIST = 17, ESRCH = 3, ENODEV = 19, ...).</summary>
    public int ErrorNumber { get; }

    /// <summary>The kernel's extended-ACK explanation when it gave one (e.g. "Nexthop device is not up").</summary>
    public string? KernelDetail { get; }

    private static string FormatMessage(string operation, string errorText, string? kernelDetail) =>
        kernelDetail is null ? $"{operation}: {errorText}" : $"{operation}: {errorText} ({kernelDetail})";
}
