using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using SharpSwan.Platform.Interop;

namespace SharpSwan.Platform;

/// <summary>
/// Receives on a socket without an exception or a poll() when data is already queued (the common case under load):
/// one non-blocking recvfrom first, and only if nothing is there, a poll with the timeout and a second try.
/// </summary>
public static unsafe class DatagramReceiver
{
    /// <returns>Bytes received; 0 on timeout or a transient error; -1 when the socket is closed.</returns>
    public static int Receive(Socket socket, Span<byte> buffer, SocketAddress remote, int timeoutMilliseconds)
    {
        var added = false;
        var handle = socket.SafeHandle;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();
            var received = TryReceive(fd, buffer, remote);
            if (received != -2)
            {
                return received;
            }

            if (!socket.Poll(timeoutMilliseconds < 0 ? -1 : timeoutMilliseconds * 1000, SelectMode.SelectRead))
            {
                return 0;
            }

            received = TryReceive(fd, buffer, remote);
            return received == -2 ? 0 : received;
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <returns>Bytes, -2 when nothing is queued, 0 on another error.</returns>
    private static int TryReceive(int fd, Span<byte> buffer, SocketAddress remote)
    {
        var addressBuffer = remote.Buffer.Span;
        var length = (uint)addressBuffer.Length;
        nint count;
        fixed (byte* data = buffer)
        fixed (byte* address = addressBuffer)
        {
            count = LibC.ReceiveFrom(fd, data, (nuint)buffer.Length, LibC.MessageDontWait, address, &length);
        }

        if (count >= 0)
        {
            remote.Size = (int)Math.Min(length, (uint)addressBuffer.Length);
            return (int)count;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == LibC.EAGAIN ? -2 : 0;
    }
}
