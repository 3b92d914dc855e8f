namespace SharpSwan.Web.Monitoring;

/// <summary>One phase 1 as the monitor shows it.</summary>
/// <param name="Name">The phase1-interface name.</param>
/// <param name="RemoteGateway">Configured peer address (0.0.0.0 for dial-up).</param>
/// <param name="Interface">The interface the tunnel is bound to.</param>
/// <param name="IkeVersion">1 or 2.</param>
/// <param name="IsDialUp">A type dynamic phase 1: it can only answer, never initiate.</param>
/// <param name="IkeEstablished">True when an IKE SA is established.</param>
/// <param name="Peer">The peer's address:port while an IKE SA exists, else null.</param>
/// <param name="PeerId">The identity the peer authenticated with, if any.</param>
/// <param name="EstablishedAt">When the current IKE SA was established.</param>
/// <param name="IncomingBytes">Decrypted bytes received on the tunnel since the last statistics reset.</param>
/// <param name="OutgoingBytes">Bytes sent into the tunnel since the last statistics reset.</param>
/// <param name="Selectors">The phase 2 selectors, in configuration order (for a dial-up instance: as its peer narrowed them).</param>
public sealed record TunnelStatus(
    string Name,
    string RemoteGateway,
    string Interface,
    int IkeVersion,
    bool IsDialUp,
    bool IkeEstablished,
    string? Peer,
    string? PeerId,
    DateTimeOffset? EstablishedAt,
    long IncomingBytes,
    long OutgoingBytes,
    IReadOnlyList<SelectorStatus> Selectors)
{
    /// <summary>For a dial-up instance (<c>&lt;template&gt;_&lt;n&gt;</c>): the dynamic phase 1 it belongs to.</summary>
    public string? Parent { get; init; }

    /// <summary>For a dial-up instance: its index (the <c>n</c> of its name).</summary>
    public int? InstanceIndex { get; init; }

    /// <summary>For a dial-up instance: the address mode-cfg leased to its peer, if any.</summary>
    public string? AssignedAddress { get; init; }

    /// <summary>For an IKEv1 dial-up instance: the user that passed XAUTH.</summary>
    public string? XauthUser { get; init; }

    /// <summary>A policy-based tunnel (<c>config vpn ipsec phase1</c>): firewall policies, not routes, send traffic into it.</summary>
    public bool IsPolicyBased { get; init; }

    /// <summary>For a dial-up template: how many peers are connected (its instances).</summary>
    public int InstanceCount { get; init; }

    public bool IsDialUpInstance => Parent is not null;

    public int SelectorsUp => Selectors.Count(s => s.IsUp);

    /// <summary>FortiOS's tunnel status: up when at least one selector has an SA.</summary>
    public bool IsUp => SelectorsUp > 0;
}
