using System.Collections.Immutable;

namespace SharpSwan.Config.Editing;

/// <summary>A change laid over the running configuration: the resulting configuration, or every reason it cannot be.</summary>
public sealed record MergeResult(GatewayConfiguration? Configuration, ImmutableArray<EditError> Errors)
{
    public bool IsValid => Configuration is not null && Errors.IsDefaultOrEmpty;
}
