using System.Collections.Immutable;

namespace SharpSwan.Config;

/// <summary>A <c>user peergrp</c> entry while its settings are applied.</summary>
internal sealed class UserPeerGroupDraft(RawEntry entry)
{
    public RawEntry Entry { get; } = entry;

    public ImmutableArray<string> Members { get; set; } = [];
}
