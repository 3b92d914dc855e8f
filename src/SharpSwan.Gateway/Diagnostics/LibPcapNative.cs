using System.Runtime.InteropServices;
using SharpPcap.LibPcap;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// The one libpcap call SharpPcap does not wrap: pcap_setdirection, which lets one handle see only inbound or only
/// outbound packets (how the sniffer knows the direction on links without one, such as TUN). The library is found by
/// the same names SharpPcap probes, so Debian's runtime package (libpcap.so.0.8) is enough.
/// </summary>
internal static class LibPcapNative
{
    public const int DirectionIn = 1;
    public const int DirectionOut = 2;

    private static readonly string[] LibraryNames = ["libpcap.so", "libpcap.so.0.8", "libpcap.so.1", "libpcap.so.0"];
    private static readonly Lazy<SetDirectionFunction?> SetDirectionEntry = new(LoadSetDirection);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetDirectionFunction(IntPtr handle, int direction);

    /// <summary>Restricts an opened handle to one direction; false when libpcap refuses or cannot be found.</summary>
    public static bool SetDirection(PcapHandle handle, int direction)
    {
        if (SetDirectionEntry.Value is not { } setDirection)
        {
            return false;
        }

        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return setDirection(handle.DangerousGetHandle(), direction) == 0;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static SetDirectionFunction? LoadSetDirection()
    {
        foreach (var name in LibraryNames)
        {
            if (NativeLibrary.TryLoad(name, out var library) && NativeLibrary.TryGetExport(library, "pcap_setdirection", out var entry))
            {
                return Marshal.GetDelegateForFunctionPointer<SetDirectionFunction>(entry);
            }
        }

        return null;
    }
}
