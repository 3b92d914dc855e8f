namespace SharpSwan.Config;

/// <summary>
/// Something in a configuration that does not stop it from loading but that the administrator must know: a table
/// kept but not acted on, a spelling converted. <c>check --strict</c> treats each one as an error.
/// </summary>
/// <param name="File">File name as given to the loader.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Kind">What it is about.</param>
/// <param name="Subject">The table or setting it names, e.g. <c>router bgp</c>.</param>
/// <param name="Message">The sentence printed after <c>warning:</c>.</param>
public sealed record ConfigWarning(string File, int Line, WarningKind Kind, string Subject, string Message)
{
    /// <summary>e.g. <c>hq.conf:40: warning: config router bgp is kept but not acted on (...)</c>.</summary>
    public override string ToString() => $"{File}:{Line}: warning: {Message}";
}
