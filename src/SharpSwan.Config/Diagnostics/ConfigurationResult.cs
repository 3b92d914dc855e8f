using System.Collections.Immutable;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// Outcome of loading a configuration: the model when the file is valid, otherwise every error found.
/// </summary>
/// <param name="Configuration">Null whenever <paramref name="Errors"/> is not empty, so a bad file is never half-applied.</param>
/// <param name="Errors">All errors, ordered by line and column.</param>
public sealed record ConfigurationResult(GatewayConfiguration? Configuration, ImmutableArray<ConfigError> Errors)
{
    public bool IsValid => Configuration is not null && Errors.IsDefaultOrEmpty;

    /// <summary>Problems that do not stop the file from loading (e.g. a file holding secrets that others can read).</summary>
    public ImmutableArray<string> Warnings { get; init; } = [];

    /// <summary>
    /// What the file holds that SharpSwan keeps but does not act on, or read in another spelling, by line. Printed by
    /// <c>check</c> and at start-up; <c>check --strict</c> refuses the file when there is any.
    /// </summary>
    public ImmutableArray<ConfigWarning> ConfigWarnings { get; init; } = [];

    public bool Equals(ConfigurationResult? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
