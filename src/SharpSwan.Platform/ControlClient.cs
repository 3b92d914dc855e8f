using System.Net.Sockets;
using System.Text;

namespace SharpSwan.Platform;

/// <summary>The CLI side of the control socket: send one command, relay the answer, turn it into an exit code.</summary>
public static class ControlClient
{
    /// <summary>Exit code when the gateway answered with "Command fail. Return code n".</summary>
    public const int CommandFailedExitCode = 1;

    /// <summary>Exit code when no gateway answers on the socket.</summary>
    public const int NotRunningExitCode = 2;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Connects to the gateway at <paramref name="path"/>, sends <paramref name="command"/> and copies the response line by
    /// line to <paramref name="output"/> until the gateway closes the connection. Cancelling hangs up, which cancels
    /// the command on the gateway, and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <returns>0; 1 when the response's last line is "Command fail. Return code n"; 2 when no gateway answers.</returns>
    public static async Task<int> SendAsync(string path, string command, TextWriter output, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(output);
        if (command.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("A control command is a single line.", nameof(command));
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            await output.WriteLineAsync(ConnectFailure(path, ex)).ConfigureAwait(false);
            return NotRunningExitCode;
        }

        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Utf8.GetBytes(command + "\n"), ct).ConfigureAwait(false);

        // The sending side stays open: the gateway takes EOF from us as "client gone" and cancels the command.
        using var reader = new StreamReader(stream, Utf8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        string? lastLine = null;
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            await output.WriteLineAsync(line).ConfigureAwait(false);
            await output.FlushAsync(ct).ConfigureAwait(false);
            if (!string.IsNullOrWhiteSpace(line))
            {
                lastLine = line;
            }
        }

        return IsFailureLine(lastLine) ? CommandFailedExitCode : 0;
    }

    /// <summary>What to tell the administrator when nobody answers on the socket.</summary>
    internal static string ConnectFailure(string path, SocketException ex)
    {
        bool nobodyThere = ex.SocketErrorCode == SocketError.ConnectionRefused || !File.Exists(path);
        return nobodyThere
            ? $"cannot connect to {path}: is the gateway running? (start it with ./sharpswan run --config <file>)"
            : $"cannot connect to {path}: {ex.Message}";
    }

    /// <summary>True for FortiOS's "Command fail. Return code n" (n an integer, usually negative).</summary>
    public static bool IsFailureLine(string? line)
    {
        if (line is null)
        {
            return false;
        }

        ReadOnlySpan<char> trimmed = line.AsSpan().Trim();
        return trimmed.StartsWith(ControlServer.FailurePrefix, StringComparison.Ordinal)
            && int.TryParse(trimmed[ControlServer.FailurePrefix.Length..], System.Globalization.NumberStyles.AllowLeadingSign,
                System.Globalization.CultureInfo.InvariantCulture, out _);
    }
}
