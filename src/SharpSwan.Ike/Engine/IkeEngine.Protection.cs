using System.Net;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// The receive entry's one security check (issue 11, item 1): after IKE_SA_INIT only SK-protected, verified messages reach
/// an exchange. Whatever else arrives for a known IKE SA is dropped unanswered, counted and published.
/// </summary>
public sealed partial class IkeEngine
{
    private readonly ProtectedMessageGate _gate = new();

    /// <summary>The largest IKE_SA_INIT request answered (a host may drop bigger ones before they reach the engine).</summary>
    public const int MaxInitRequestBytes = InitAdmission.MaxRequestBytes;

    /// <summary>Gateway-wide IKE counters (`diagnose vpn ike stats`).</summary>
    public IkeStatistics Statistics => _gate.Statistics;

    /// <summary>IKE SAs that answered an IKE_SA_INIT and wait for IKE_AUTH.</summary>
    public int HalfOpenCount => _sas.HalfOpenCount;

    /// <summary>True with the decoded message when it passed the gate; otherwise it was dropped, logged and published.</summary>
    private bool AdmitProtected(IkeSa sa, IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> datagram, IkeHeader header, out IkeParseResult parsed)
    {
        if (_gate.TryAdmit(sa, datagram, header, out parsed, out var refusal))
        {
            return true;
        }

        var kind = header.IsResponse ? "response" : "request";
        _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"dropped unprotected {header.Exchange} {kind} id {header.MessageId} from {remote}: {refusal!.Reason}");
        Publish(sa, refusal! with { Local = local, Remote = remote });
        return false;
    }
}
