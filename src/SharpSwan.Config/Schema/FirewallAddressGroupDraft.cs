using System.Collections.Immutable;

namespace SharpSwan.Config;

/// <summary>A <c>firewall addrgrp</c> entry while its settings are applied.</summary>
internal sealed class FirewallAddressGroupDraft(RawEntry entry)
{
    public RawEntry Entry { get; } = entry;

    public ImmutableArray<string> Members { get; set; } = [];
}
