using System.Globalization;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>
/// How many data-plane workers the gateway runs: each owns one queue of every tunnel's TUN device, one NAT-T socket
/// (SO_REUSEPORT) with its reader thread, and one lane (cipher context) of every outbound SA. The default is one per
/// core; the environment variable <see cref="VariableName"/> sets another count (for measuring, or to leave cores to
/// other work).
/// </summary>
public static class DataPlaneWorkers
{
    public const string VariableName = "SHARPSWAN_DATAPLANE_WORKERS";

    /// <summary>The most workers: a TUN device has at most 256 queues, and an SA's lanes take disjoint AEAD IV ranges of 256.</summary>
    public const int Maximum = 256;

    /// <summary>One per core, at most <see cref="Maximum"/>.</summary>
    public static int Default => Math.Clamp(Environment.ProcessorCount, 1, Maximum);

    /// <summary>
    /// Reads the setting: unset or empty gives <see cref="Default"/>; anything but a whole number from 1 to
    /// <see cref="Maximum"/> is refused with the reason in <paramref name="error"/>.
    /// </summary>
    public static bool TryParse(string? text, out int workers, out string? error)
    {
        workers = Default;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            error = $"{VariableName}={text}: not a whole number of data-plane workers (unset it for one per core, {Default} here)";
            return false;
        }

        if (value is < 1 or > Maximum)
        {
            error = $"{VariableName}={text}: the data plane needs 1 to {Maximum} workers (a TUN device has at most {Maximum} queues, and each worker takes one of {Maximum} IV ranges of every SA)";
            return false;
        }

        workers = value;
        return true;
    }
}
