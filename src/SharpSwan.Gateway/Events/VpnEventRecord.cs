namespace SharpSwan.Gateway.Events;

/// <summary>A stored event: its formatted line and the `name=value` fields read back from it (for display filters).</summary>
public sealed class VpnEventRecord
{
    private IReadOnlyDictionary<string, string>? _fields;

    public VpnEventRecord(string line) => Line = line;

    public VpnEventRecord(string line, IReadOnlyDictionary<string, string> fields)
    {
        Line = line;
        _fields = fields;
    }

    public string Line { get; }

    /// <summary>
    /// Read back from the line on first use: most records are only written and forwarded, and parsing each one as it was
    /// appended cost every IKE setup on a busy hub. Two readers racing both parse the same line to equal tables.
    /// </summary>
    public IReadOnlyDictionary<string, string> Fields => _fields ??= VpnEventFormatter.Fields(Line);

    public static VpnEventRecord FromLine(string line) => new(line);
}
