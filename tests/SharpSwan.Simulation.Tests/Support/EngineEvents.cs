using SharpSwan.Ike.Events;

namespace SharpSwan.Simulation.Tests.Support;

/// <summary>
/// The lifetime and rekey facts the scenarios check, as queries over a gateway's typed engine events (never the log text):
/// one name per kind of soft-lifetime decision, so each test says which one it means.
/// </summary>
internal static class EngineEvents
{
    /// <summary>Soft lifetime by time, and a rekey started (the engine's <c>soft lifetime reached: rekeying (mode)</c>).</summary>
    public static IEnumerable<ChildSaSoftExpiry> TimedSoftRekeys(this SimulatedGateway gateway) =>
        gateway.Events<ChildSaSoftExpiry>().Where(IsTimedSoftRekey);

    public static bool IsTimedSoftRekey(ChildSaSoftExpiry e) => e.Rekeying && !e.ByBytes && !e.BySequence && !e.TrafficAfterSoft;

    /// <summary>Soft lifetime by bytes (keylifekbs), and a rekey started.</summary>
    public static IEnumerable<ChildSaSoftExpiry> ByteSoftRekeys(this SimulatedGateway gateway) =>
        gateway.Events<ChildSaSoftExpiry>().Where(IsByteSoftRekey);

    public static bool IsByteSoftRekey(ChildSaSoftExpiry e) => e.Rekeying && e.ByBytes;

    /// <summary>Soft lifetime of an idle SA: no rekey, left to run to its hard lifetime.</summary>
    public static IEnumerable<ChildSaSoftExpiry> SoftLetExpire(this SimulatedGateway gateway) =>
        gateway.Events<ChildSaSoftExpiry>().Where(e => !e.Rekeying);

    /// <summary>Traffic came after an idle SA's soft point: the rekey starts now.</summary>
    public static IEnumerable<ChildSaSoftExpiry> TrafficAfterSoftRekeys(this SimulatedGateway gateway) =>
        gateway.Events<ChildSaSoftExpiry>().Where(e => e.TrafficAfterSoft);

    /// <summary>Hard expiry by time (not by bytes): the engine's <c>IPsec SA in/out expired (hard lifetime)</c>.</summary>
    public static IEnumerable<ChildSaHardExpiry> TimedHardExpiries(this SimulatedGateway gateway) =>
        gateway.Events<ChildSaHardExpiry>().Where(e => !e.ByBytes);

    /// <summary>CREATE_CHILD_SA exchanges this gateway started to rekey a child SA.</summary>
    public static IEnumerable<CreateChildInitiated> ChildRekeysInitiated(this SimulatedGateway gateway) =>
        gateway.Events<CreateChildInitiated>().Where(e => e.IsRekey);

    /// <summary>Any rekey this gateway took part in: of the IKE SA, or of a child SA it started or installed.</summary>
    public static bool AnyRekey(this SimulatedGateway gateway) =>
        gateway.Events<IkeSaRekeyed>().Any() || gateway.ChildRekeysInitiated().Any() || gateway.Events<ChildSaInstalled>().Any(e => e.IsRekey);

    /// <summary>Any child SA expired (hard, by time or bytes) on any gateway: what a stable tunnel never shows.</summary>
    public static bool AnyExpiry(this Simulation simulation) =>
        simulation.Events<ChildSaHardExpiry>().Any() || simulation.Events<ChildSaDeleted>().Any(e => e.Reason.Contains("expired", StringComparison.Ordinal));
}
