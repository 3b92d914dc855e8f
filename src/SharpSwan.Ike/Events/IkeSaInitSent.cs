namespace SharpSwan.Ike.Events;

/// <summary>As initiator, we sent an IKE_SA_INIT request (log: <c>initiator: sending IKE_SA_INIT, proposals ..., dhgrp n</c>).</summary>
public sealed record IkeSaInitSent : IkeEvent
{
    /// <summary>The Diffie-Hellman group of the key exchange offered.</summary>
    public required int DhGroup { get; init; }
}
