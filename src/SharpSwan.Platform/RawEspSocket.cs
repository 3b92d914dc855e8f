using System.Net;
using System.Net.Sockets;
using SharpSwan.Platform.Interop;

namespace SharpSwan.Platform;

/// <summary>
/// A raw IPv4 socket for IP protocol 50, so ESP can travel without UDP encapsulation when no NAT is in the way.
/// .NET refuses protocol numbers it does not know, so the descriptor comes from libc and is wrapped afterwards.
/// The kernel has no ESP of its own here, so every ESP packet to this host reaches us; received data starts with the IP header.
/// </summary>
public static class RawEspSocket
{
    public const int EspProtocol = 50;

    private const int AddressFamilyInet = 2;

    public static Socket Open(IPAddress local)
    {
        var fd = LibC.Socket(AddressFamilyInet, LibC.SocketRaw | LibC.SocketCloseOnExec, EspProtocol);
        if (fd < 0)
        {
            throw new SocketException(System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        }

        var socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        try
        {
            socket.Bind(new IPEndPoint(local, 0));
            socket.ReceiveBufferSize = 4 * 1024 * 1024;
            socket.SendBufferSize = 4 * 1024 * 1024;
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
