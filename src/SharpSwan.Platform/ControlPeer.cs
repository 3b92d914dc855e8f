using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SharpSwan.Platform;

/// <summary>
/// Who is on the other end of a control-socket connection, as the kernel vouches for it (SO_PEERCRED at connect time):
/// what a configuration change made over the CLI is logged with.
/// </summary>
/// <param name="ProcessId">The client's process id; 0 when unknown.</param>
/// <param name="UserId">The client's user id; -1 when unknown.</param>
/// <param name="UserName">The user's name from /etc/passwd, or <c>uid N</c> when it has none there.</param>
public sealed record ControlPeer(int ProcessId, long UserId, string UserName)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>A peer whose credentials could not be read.</summary>
    public static ControlPeer Unknown { get; } = new(0, -1, "unknown");

    /// <summary>Reads SO_PEERCRED of a connected Unix socket (struct ucred: pid, uid, gid).</summary>
    public static ControlPeer Of(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Span<byte> credentials = stackalloc byte[12];
        try
        {
            if (socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials) < 12)
            {
                return Unknown;
            }
        }
        catch (SocketException)
        {
            return Unknown;
        }

        var pid = MemoryMarshal.Read<int>(credentials);
        var uid = MemoryMarshal.Read<uint>(credentials[4..]);
        return new ControlPeer(pid, uid, NameOf(uid, "/etc/passwd"));
    }

    /// <summary>The name /etc/passwd gives <paramref name="uid"/>, or <c>uid N</c>.</summary>
    internal static string NameOf(uint uid, string passwd)
    {
        var number = uid.ToString(CultureInfo.InvariantCulture);
        try
        {
            foreach (var line in File.ReadLines(passwd))
            {
                var fields = line.Split(':');
                if (fields.Length > 2 && fields[2] == number && fields[0].Length > 0)
                {
                    return fields[0];
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Without the file the number is still true.
        }

        return "uid " + number;
    }
}
