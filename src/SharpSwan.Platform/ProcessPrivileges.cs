using SharpSwan.Platform.Interop;

namespace SharpSwan.Platform;

/// <summary>Who the gateway runs as; TUN devices and rtnetlink changes need root (CAP_NET_ADMIN).</summary>
public static class ProcessPrivileges
{
    /// <summary>True when the effective user id is 0.</summary>
    public static bool IsRoot => LibC.GetEffectiveUserId() == 0;
}
