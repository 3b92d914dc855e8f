using System.Collections.Immutable;

namespace SharpSwan.Config.Import;

/// <summary>What <c>sharpswan import</c> made of a FortiGate configuration.</summary>
/// <param name="Text">The SharpSwan configuration to write (secrets encrypted); null when nothing usable was left.</param>
/// <param name="Tunnels">Phase 1 names taken over.</param>
/// <param name="Converted">Older spellings read as current ones, and secrets in SharpSwan's old form.</param>
/// <param name="Kept">Tables (and <c>system global</c> settings) kept verbatim but not acted on.</param>
/// <param name="Refused">Entries and tables not taken over, with reasons.</param>
/// <param name="Secrets">Secrets encrypted by the FortiGate, to be set again before the configuration loads.</param>
/// <param name="Weak">Legacy algorithms in the file (3DES, DES, NULL, MD5, DH 1/2/5): negotiated, but weak.</param>
public sealed record ImportResult(
    string? Text,
    ImmutableArray<string> Tunnels,
    ImmutableArray<ConfigWarning> Converted,
    ImmutableArray<ConfigWarning> Kept,
    ImmutableArray<ImportRefusal> Refused,
    ImmutableArray<SecretToReEnter> Secrets,
    ImmutableArray<ConfigWarning> Weak);
