namespace SharpSwan.Ike.Events;

/// <summary>
/// An IKEv1 dial-up peer failed XAUTH (unknown user, not in the group, wrong password, or no user name at all): we sent
/// XAUTH_STATUS fail and deleted its ISAKMP SA. The peer is <see cref="IkeEvent.Remote"/>.
/// </summary>
public sealed record XauthFailed : IkeEvent
{
    /// <summary>The user name the peer gave; empty when it gave none.</summary>
    public required string User { get; init; }

    /// <summary>The phase 1's <c>authusrgrp</c>.</summary>
    public required string Group { get; init; }

    /// <summary>Which check failed, without the password.</summary>
    public required XauthFailure Failure { get; init; }
}
