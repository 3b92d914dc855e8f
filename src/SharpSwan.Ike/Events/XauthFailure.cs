namespace SharpSwan.Ike.Events;

/// <summary>Why an XAUTH login was refused (<see cref="XauthFailed"/>).</summary>
public enum XauthFailure
{
    /// <summary>The reply carried no user name or no password.</summary>
    MissingCredentials,

    /// <summary>No enabled <c>config user local</c> of that name in the phase 1's <c>authusrgrp</c>.</summary>
    UnknownUser,

    /// <summary>The user exists in the group and the password did not match.</summary>
    WrongPassword,
}
