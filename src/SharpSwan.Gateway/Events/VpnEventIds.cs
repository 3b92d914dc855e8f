namespace SharpSwan.Gateway.Events;

/// <summary>
/// The FortiOS log ids SharpSwan emits. 37138, 37127, 37133, 37134, 37123 and 37124 are documented FortiOS message ids;
/// 37135 (phase 2 SA deleted) and 37139 (phase 2 status) follow FortiOS's numbering but are our reading of it.
/// </summary>
public static class VpnEventIds
{
    public const string Phase2Error = "0101037123";
    public const string Phase1Error = "0101037124";

    /// <summary>MESGID_NEG_PROGRESS_P1_NOTIF, "Progress IPsec phase 1": here, a phase 1 that replaced the tunnel's IKE SA.</summary>
    public const string Phase1Progress = "0101037127";
    public const string InstallSa = "0101037133";
    public const string DeletePhase1Sa = "0101037134";
    public const string DeletePhase2Sa = "0101037135";
    public const string ConnectionUpDown = "0101037138";
    public const string Phase2UpDown = "0101037139";
}
