using System.Collections.Immutable;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// One <c>config user peer</c> entry: what a peer's certificate must be for a phase 1 with <c>peertype peer</c> and
/// <c>set peer</c> (or a <c>user peergrp</c> it belongs to) to accept it.
/// </summary>
/// <param name="Name">The <c>edit</c> name.</param>
public sealed record UserPeer(string Name)
{
    /// <summary>FortiOS limits peer names to 35 characters.</summary>
    public const int MaxNameLength = 35;

    /// <summary><c>ca</c>: a <c>vpn certificate ca</c> entry the certificate's chain must pass through; null for any trusted CA.</summary>
    public string? Ca { get; init; }

    /// <summary><c>subject</c>: attributes (e.g. <c>CN=hq.example.net, O=Example</c>) the certificate's subject must carry.</summary>
    public string? Subject { get; init; }

    /// <summary><c>cn</c>: the certificate's common name, compared as <see cref="CnType"/> says.</summary>
    public string? Cn { get; init; }

    /// <summary><c>cn-type</c>: string, email, FQDN, ipv4 or ipv6.</summary>
    public string CnType { get; init; } = "string";

    /// <summary>Other FortiOS settings kept verbatim (only values that change nothing here).</summary>
    public ImmutableArray<ConfigSetting> OtherSettings { get; init; } = [];

    /// <summary>Line of the <c>edit</c> (ignored by equality).</summary>
    [SourceLocation]
    public int SourceLine { get; init; }

    public bool Equals(UserPeer? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
