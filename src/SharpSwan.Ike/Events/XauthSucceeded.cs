namespace SharpSwan.Ike.Events;

/// <summary>
/// An IKEv1 dial-up peer passed XAUTH: the user is in <see cref="Group"/> and its password matched (log: <c>XAUTH user
/// "u" authenticated</c>). Its phase 1 counts as up only from here, and quick mode is allowed from here on.
/// </summary>
public sealed record XauthSucceeded : IkeEvent
{
    public required string User { get; init; }

    /// <summary>The phase 1's <c>authusrgrp</c>.</summary>
    public required string Group { get; init; }
}
