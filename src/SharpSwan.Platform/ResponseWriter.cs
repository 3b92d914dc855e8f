using System.Text;

namespace SharpSwan.Platform;

/// <summary>
/// Passes a command's answer to the client while remembering its last non-blank line (which carries the FortiOS
/// return code), and keeps the protocol's control characters out of the answer so it cannot fake an end of response.
/// </summary>
internal sealed class ResponseWriter(TextWriter inner) : TextWriter
{
    private readonly StringBuilder _line = new();
    private string? _lastLine;

    public override Encoding Encoding => inner.Encoding;

    /// <summary>0, or the code of a final <c>Command fail. Return code n</c>.</summary>
    public int Status => ControlProtocol.StatusOf(_line.ToString().Trim().Length > 0 ? _line.ToString() : _lastLine);

    public override void Write(char value)
    {
        value = Clean(value);
        Track(value);
        inner.Write(value);
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        var clean = CleanAll(value);
        foreach (var c in clean)
        {
            Track(c);
        }

        inner.Write(clean);
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => Write((value ?? "") + "\n");

    public override Task WriteAsync(char value)
    {
        Write(value);
        return inner.FlushAsync();
    }

    public override Task WriteAsync(string? value)
    {
        if (value is null)
        {
            return Task.CompletedTask;
        }

        var clean = CleanAll(value);
        foreach (var c in clean)
        {
            Track(c);
        }

        return inner.WriteAsync(clean);
    }

    public override Task WriteAsync(char[] buffer, int index, int count) => WriteAsync(new string(buffer, index, count));

    public override Task WriteLineAsync(string? value) => WriteAsync((value ?? "") + "\n");

    public override Task WriteLineAsync() => WriteAsync("\n");

    public override Task FlushAsync() => inner.FlushAsync();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    private void Track(char c)
    {
        if (c != '\n')
        {
            _line.Append(c);
            return;
        }

        var line = _line.ToString();
        if (line.Trim().Length > 0)
        {
            _lastLine = line;
        }

        _line.Clear();
    }

    private static char Clean(char c) => c is ControlProtocol.EndOfResponse or '\u0001' or '\u0003' ? '?' : c;

    private static string CleanAll(string value) =>
        value.AsSpan().IndexOfAny(ControlProtocol.EndOfResponse, '\u0001', '\u0003') < 0 ? value : string.Concat(value.Select(Clean));
}
