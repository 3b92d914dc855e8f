namespace SharpSwan.Config;

/// <summary>Phase 1 <c>set localid-type</c>: the IKE identification type we send.</summary>
public enum LocalIdType
{
    Auto,
    Fqdn,
    UserFqdn,
    KeyId,
    Address,
    Asn1Dn,
}
