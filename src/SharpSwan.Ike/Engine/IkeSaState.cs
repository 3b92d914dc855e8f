namespace SharpSwan.Ike.Engine;

public enum IkeSaState
{
    /// <summary>We sent IKE_SA_INIT and wait for the answer.</summary>
    InitSent,

    /// <summary>We answered IKE_SA_INIT (half-open) and wait for IKE_AUTH.</summary>
    InitResponded,

    /// <summary>We sent IKE_AUTH and wait for the answer.</summary>
    AuthSent,

    Established,

    /// <summary>Replaced by a rekeyed IKE SA or being deleted: no new work is started on it.</summary>
    Deleting,

    Dead,
}
