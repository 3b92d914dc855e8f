namespace SharpSwan.Config.Import;

/// <summary>A secret the FortiGate encrypted with its own key: the entry is taken over, the secret must be set again.</summary>
/// <param name="Path">The table, e.g. <c>vpn ipsec phase1-interface</c>.</param>
/// <param name="Entry">The entry's name.</param>
/// <param name="Field">e.g. <c>psksecret</c>.</param>
public sealed record SecretToReEnter(string Path, string Entry, string Field)
{
    /// <summary>The commands that set it, for the report (the value is the administrator's to type).</summary>
    public string Commands => $"config {Path} / edit \"{Entry}\" / set {Field} <the secret in clear text> / end";
}
