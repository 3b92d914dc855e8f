using System.Text;

namespace SharpSwan.Platform;

/// <summary>Reads \n-terminated UTF-8 lines from a stream with a length limit; an over-long line is skipped whole.</summary>
internal sealed class ControlLineReader(Stream stream, int maxLineBytes)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly byte[] _buffer = new byte[Math.Max(4096, maxLineBytes + 1)];
    private int _start;
    private int _end;

    /// <summary>The next line, or null at end of stream with nothing pending.</summary>
    public async Task<ControlLine?> ReadLineAsync(CancellationToken cancellation)
    {
        var tooLong = false;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var text = tooLong ? "" : Decode(_buffer.AsSpan(_start, newline - _start));
                _start = newline + 1;
                return new ControlLine(text, EndedWithNewline: true, tooLong);
            }

            if (_end - _start > maxLineBytes)
            {
                // Drop what we have of the over-long line and keep reading to its end.
                tooLong = true;
                _start = _end = 0;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellation).ConfigureAwait(false);
            if (read == 0)
            {
                if (_end == _start && !tooLong)
                {
                    return null;
                }

                var text = tooLong ? "" : Decode(_buffer.AsSpan(_start, _end - _start));
                _start = _end = 0;
                return new ControlLine(text, EndedWithNewline: false, tooLong);
            }

            _end += read;
        }
    }

    private static string Decode(ReadOnlySpan<byte> line) => Utf8.GetString(line).TrimEnd('\r');
}
