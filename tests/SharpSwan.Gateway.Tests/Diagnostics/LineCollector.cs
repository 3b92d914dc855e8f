using System.Text;

namespace SharpSwan.Gateway.Tests.Diagnostics;

/// <summary>A TextWriter that keeps complete lines and lets a test wait for one that matches.</summary>
public sealed class LineCollector : TextWriter
{
    private readonly Lock gate = new();
    private readonly StringBuilder partial = new();
    private readonly List<string> lines = [];

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (gate)
            {
                return lines.ToList();
            }
        }
    }

    public override void Write(char value)
    {
        lock (gate)
        {
            if (value == '\n')
            {
                lines.Add(partial.ToString());
                partial.Clear();
            }
            else
            {
                partial.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? string.Empty)
        {
            Write(c);
        }
    }

    public override void WriteLine(string? value)
    {
        Write(value);
        Write('\n');
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public Task WaitForAsync(Func<IReadOnlyList<string>, bool> condition, string what) =>
        EnginePair.WaitForAsync(() => condition(Lines), what);
}
