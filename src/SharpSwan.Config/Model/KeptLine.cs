namespace SharpSwan.Config;

/// <summary>
/// One command line of a <see cref="KeptTable"/>: its words as FortiOS text at a nesting depth. A secret in clear
/// text (a BGP neighbour password, a local user's password) is held as a <see cref="Config.Secret"/> and written
/// encrypted, never printed back in clear.
/// </summary>
/// <param name="Depth">Nesting below the table's <c>config</c> line (an <c>edit</c> is 1, its <c>set</c> 2).</param>
/// <param name="Text">The command without the secret value, e.g. <c>set remote-as 64512</c> or <c>set password</c>.</param>
/// <param name="Secret">The value of a secret setting, appended after <paramref name="Text"/>; null for any other line.</param>
public sealed record KeptLine(int Depth, string Text, Secret? Secret = null)
{
    /// <summary>The line as the writer prints it (secret encrypted), without indentation.</summary>
    public string Render() => Secret is null ? Text : $"{Text} {Secret.ToConfigString()}";

    public override string ToString() => Secret is null ? Text : $"{Text} ENC ****";
}
