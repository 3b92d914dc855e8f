namespace SharpSwan.Config;

/// <summary>Phase 1 <c>set type</c>: how the remote gateway is found.</summary>
public enum Phase1Type
{
    /// <summary><c>static</c>: fixed <c>remote-gw</c> address; either side may initiate.</summary>
    Static,

    /// <summary><c>dynamic</c>: dial-up server; peers connect to us and we never initiate.</summary>
    Dynamic,

    /// <summary><c>ddns</c>: the remote gateway is a DNS name (<c>remotegw-ddns</c>).</summary>
    Ddns,
}
