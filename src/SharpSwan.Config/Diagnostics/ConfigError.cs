namespace SharpSwan.Config;

/// <summary>
/// One problem in a configuration file.
/// </summary>
/// <param name="File">File name as given to the loader.</param>
/// <param name="Line">1-based line (0 when the file could not be read at all).</param>
/// <param name="Column">1-based column of the offending token.</param>
/// <param name="Message">The first line FortiOS would print, e.g. <c>value parse error before '100'</c>.</param>
/// <param name="Detail">
/// Lines joined with '\n': FortiOS's preceding line when it prints one (<c>node_check_object fail! for keylifeseconds 100</c>),
/// then a short human reason as the last line.
/// </param>
public sealed record ConfigError(string File, int Line, int Column, string Message, string Detail)
{
    /// <summary>
    /// The value is refused only because of another field of its entry (e.g. <c>type dynamic</c> with <c>ike-version 1</c>):
    /// the CLI editor judges such errors when the entry is closed (<c>next</c>/<c>end</c>), not at the <c>set</c>, since the
    /// administrator may be about to change the other field.
    /// </summary>
    public bool CrossField { get; init; }

    /// <summary>The last line of <see cref="Detail"/>: the human explanation.</summary>
    public string Reason
    {
        get
        {
            var newline = Detail.LastIndexOf('\n');
            return newline < 0 ? Detail : Detail[(newline + 1)..];
        }
    }

    /// <summary>e.g. <c>hq.conf:12: value parse error before '100' (keylifeseconds must be 120-172800)</c>.</summary>
    public override string ToString() =>
        Reason.Length == 0 ? $"{File}:{Line}: {Message}" : $"{File}:{Line}: {Message} ({Reason})";
}
