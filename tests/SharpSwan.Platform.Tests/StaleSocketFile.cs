using System.Runtime.InteropServices;
using System.Text;

namespace SharpSwan.Platform.Tests;

/// <summary>
/// Leaves a Unix socket file with nobody listening, like a gateway that crashed. .NET's Socket removes the file it
/// bound when disposed, so this goes through libc directly.
/// </summary>
internal static class StaleSocketFile
{
    private const ushort AddressFamilyUnix = 1;
    private const int SocketStream = 1;

    public static void Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        byte[] address = new byte[110]; // sizeof(struct sockaddr_un)
        BitConverter.TryWriteBytes(address, AddressFamilyUnix);
        int pathLength = Encoding.UTF8.GetBytes(path, address.AsSpan(2, 107));

        int fd = OpenSocket(AddressFamilyUnix, SocketStream, 0);
        Assert.True(fd >= 0, $"socket() failed: {Marshal.GetLastPInvokeError()}");
        try
        {
            Assert.True(BindSocket(fd, address, 2 + pathLength + 1) == 0, $"bind({path}) failed: {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            CloseDescriptor(fd);
        }
    }

    // Plain DllImport keeps the test project free of unsafe code; these calls are not on any hot path.
    [DllImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static extern int OpenSocket(int domain, int type, int protocol);

    [DllImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static extern int BindSocket(int fd, byte[] address, int addressLength);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int CloseDescriptor(int fd);
}
