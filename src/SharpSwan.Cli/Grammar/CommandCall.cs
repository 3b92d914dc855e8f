namespace SharpSwan.Cli.Grammar;

/// <summary>A command line matched to a node of the tree, as its handler receives it.</summary>
/// <param name="Words">Every word of the line, as typed (quotes and escapes resolved).</param>
/// <param name="Keywords">The tree's own spelling of the words that led to the handler (abbreviations expanded).</param>
/// <param name="Output">Where the answer goes.</param>
/// <param name="Context">The caller's state (for the gateway: its services and the client's session).</param>
/// <param name="Cancellation">Ctrl-C, or the client left.</param>
public sealed record CommandCall(
    IReadOnlyList<string> Words,
    IReadOnlyList<string> Keywords,
    TextWriter Output,
    object Context,
    CancellationToken Cancellation)
{
    /// <summary>The words after the command's keywords.</summary>
    public IReadOnlyList<string> Arguments => [.. Words.Skip(Keywords.Count)];
}
