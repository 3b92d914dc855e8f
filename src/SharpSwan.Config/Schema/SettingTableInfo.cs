namespace SharpSwan.Config;

/// <summary>One table of <see cref="SettingCatalog"/>.</summary>
/// <param name="Path">e.g. <c>vpn ipsec phase1-interface</c>.</param>
/// <param name="Interpreted">Settings read into the model.</param>
/// <param name="Kept">Settings checked and kept verbatim.</param>
/// <param name="KeepsUnknownFields">Any other name is kept too, with a load warning (<c>system global</c>).</param>
/// <param name="Refusal">Why a setting is refused; null when it is accepted.</param>
public sealed record SettingTableInfo(
    string Path,
    IReadOnlyList<string> Interpreted,
    IReadOnlyList<string> Kept,
    bool KeepsUnknownFields,
    Func<string, string?> Refusal);
