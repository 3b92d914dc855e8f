namespace SharpSwan.Config;

/// <summary>Phase 2 <c>set keylife-type</c>: which limit triggers a rekey.</summary>
public enum KeyLifeType
{
    Seconds,
    Kbs,

    /// <summary><c>both</c>: whichever limit is reached first.</summary>
    Both,
}
