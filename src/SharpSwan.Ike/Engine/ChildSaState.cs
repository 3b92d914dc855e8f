namespace SharpSwan.Ike.Engine;

public enum ChildSaState
{
    Installed,

    /// <summary>A rekey of this SA is under way.</summary>
    Rekeying,

    /// <summary>A newer SA took over; this one only decrypts stragglers until it is deleted.</summary>
    Rekeyed,

    Deleting,
}
