namespace SharpSwan.Ike.Events;

/// <summary>Why a message after IKE_SA_INIT was not accepted as protected.</summary>
public enum UnprotectedMessageReason
{
    /// <summary>Its first payload is not SK: plaintext payloads, or SK behind them.</summary>
    NotEncrypted,

    /// <summary>The IKE SA has no keys yet (our IKE_SA_INIT is unanswered), so nothing but IKE_SA_INIT can be for it.</summary>
    NoKeys,

    /// <summary>SK was there but malformed or failed its integrity check: not sent by the holder of the keys.</summary>
    NotVerified,
}
