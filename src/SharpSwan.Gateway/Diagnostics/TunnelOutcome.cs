namespace SharpSwan.Gateway.Diagnostics;

/// <summary>What the packet core did with a traced packet that entered a tunnel's device or came out of a tunnel (`diagnose debug flow`).</summary>
public enum TunnelOutcome
{
    /// <summary>Encrypted on the phase 2's SA and sent to the peer.</summary>
    Encrypted,

    /// <summary>No SA yet: held in the trigger queue (`trigger-queue`) while the phase 2 is negotiated.</summary>
    Held,

    /// <summary>Held before, and now the SA is up: released from the trigger queue, encrypted on it and sent to the peer.</summary>
    Released,

    /// <summary>No SA yet: dropped (FortiOS's default), and the phase 2 is negotiated.</summary>
    DroppedNegotiating,

    /// <summary>No SA, and this phase 1 never initiates (dial-up): dropped.</summary>
    DroppedNeverInitiates,

    /// <summary>The SA exists but its negotiated selectors do not cover the packet: dropped.</summary>
    DroppedOutsideSelectors,

    /// <summary>No phase 2 (or, dial-up, no connected peer) has selectors for the packet: dropped.</summary>
    DroppedNoSelector,

    /// <summary>Inbound: decrypted on the phase 2's SA and written to the tunnel's device.</summary>
    Decrypted,

    /// <summary>Inbound: decrypted, but outside the SA's negotiated selectors (RFC 4301 inbound check): dropped.</summary>
    DecryptedOutsideSelectors,
}
