namespace SharpSwan.Config;

/// <summary>What an access profile allows on one permission group (FortiOS <c>none</c>, <c>read</c>, <c>read-write</c>).</summary>
public enum AccessLevel
{
    None,
    Read,
    ReadWrite,
}
