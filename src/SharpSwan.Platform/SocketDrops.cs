using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SharpSwan.Platform;

/// <summary>
/// What the kernel dropped on a socket because its receive queue was full (the socket's <c>sk_drops</c>, read with
/// SO_MEMINFO): the bound of the queue between the wire and a receive thread, seen from outside. Read on demand, so the
/// packet path pays nothing for it.
/// </summary>
public static class SocketDrops
{
    private const int SocketLevel = 1;
    private const int SoMemInfo = 55;

    // The array of native-endian u32 SO_MEMINFO fills; SK_MEMINFO_DROPS is its ninth entry (Linux 4.6+).
    private const int DropsIndex = 8;

    /// <summary>Datagrams the kernel dropped for this socket since it was opened; 0 when the kernel does not say (or it is closed).</summary>
    public static long Read(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Span<byte> values = stackalloc byte[(DropsIndex + 1) * sizeof(uint)];
        try
        {
            var length = socket.GetRawSocketOption(SocketLevel, SoMemInfo, values);
            return length >= values.Length ? MemoryMarshal.Read<uint>(values[(DropsIndex * sizeof(uint))..]) : 0;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return 0;
        }
    }
}
