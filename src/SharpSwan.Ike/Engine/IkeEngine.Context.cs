using System.Net;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Engine.Lifecycle;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>The engine as the exchanges see it (<see cref="IExchangeContext"/>): each member forwards to the SA manager's own.</summary>
public sealed partial class IkeEngine : IExchangeContext
{
    DateTimeOffset IExchangeContext.Now => Now;

    IRandomSource IExchangeContext.Random => _random;

    IkeLogger IExchangeContext.Log => _log;

    IkeEngineOptions IExchangeContext.Options => _options;

    IIkeEngineHost IExchangeContext.Host => _host;

    void IExchangeContext.SendRequest(IkeSa sa, ExchangeType exchange, IReadOnlyList<IkePayload> payloads, string label, SentRequest request, TimeSpan? fixedInterval, int? limit) =>
        SendRequest(sa, exchange, payloads, label, request, fixedInterval, limit);

    void IExchangeContext.SendUnreliable(IkeSa sa, ExchangeType exchange, IReadOnlyList<IkePayload> payloads) => SendUnreliable(sa, exchange, payloads);

    void IExchangeContext.Respond(IkeSa sa, IkeHeader request, IReadOnlyList<IkePayload> payloads) => Respond(sa, request, payloads);

    void IExchangeContext.Transmit(IkeSa sa, byte[] bytes, ExchangeType exchange, bool isResponse) => Transmit(sa, bytes, exchange, isResponse);

    void IExchangeContext.Enqueue(IkeSa sa, IkeJob job) => Enqueue(sa, job);

    void IExchangeContext.Schedule(DateTimeOffset due, TimedJob job) => Schedule(due, job);

    void IExchangeContext.Publish(IkeSa sa, IkeEvent e) => Publish(sa, e);

    void IExchangeContext.Publish(TunnelRuntime tunnel, IkeEvent e) => Publish(tunnel, e);

    void IExchangeContext.PublishGlobal(IkeEvent e) => PublishGlobal(e);

    void IExchangeContext.RefusePeer(System.Net.IPEndPoint local, System.Net.IPEndPoint remote, string reason, IkeLogLevel level, string logLine) =>
        RefusePeer(local, remote, reason, level, logLine);

    void IExchangeContext.PublishChildRetired(IkeSa sa, ChildSa child, string reason) => PublishChildRetired(sa, child, reason);

    void IExchangeContext.PublishIkeRetired(IkeSa sa, string reason) => PublishIkeRetired(sa, reason);

    void IExchangeContext.ChildNegotiationFailed(IkeSa sa, string phase2, string reason, NotifyType? notify, bool notifySent, bool esnRequired) =>
        ChildNegotiationFailed(sa, phase2, reason, notify, notifySent, esnRequired);

    ulong IExchangeContext.NewIkeSpi() => NewIkeSpi();

    uint IExchangeContext.NewChildSpi() => NewChildSpi();

    byte[] IExchangeContext.NewNonce() => NewNonce();

    bool IExchangeContext.HasUsableChild(TunnelRuntime tunnel, string phase2) => HasUsableChild(tunnel, phase2);

    ChildSa IExchangeContext.InstallChild(IkeSa sa, NegotiatedChild negotiated) => InstallChild(sa, negotiated);

    void IExchangeContext.StartCreateChild(IkeSa sa, Phase2Settings phase2, ChildSa? rekeyOf, DiffieHellmanGroup? group) => StartCreateChild(sa, phase2, rekeyOf, group);

    void IExchangeContext.DeleteChild(IkeSa sa, ChildSa child, bool notifyPeer, string reason) => DeleteChild(sa, child, notifyPeer, reason);

    void IExchangeContext.DeleteRekeyedLater(IkeSa sa, ChildSa old) => Schedule(Now + Phase2Lifecycle.CommitGrace, new DeleteRekeyedJob(sa, old));

    void IExchangeContext.RemoveChild(IkeSa sa, ChildSa child, string reason, bool byPeer) => RemoveChild(sa, child, reason, byPeer);

    void IExchangeContext.DeleteIkeSa(IkeSa sa, bool notifyPeer, string reason) => DeleteIkeSa(sa, notifyPeer, reason);

    void IExchangeContext.FailIkeSa(IkeSa sa, string reason, NotifyType? notify, NegotiationStage? stage) => FailIkeSa(sa, reason, notify, stage);

    void IExchangeContext.RemoveIkeSa(IkeSa sa, string reason) => RemoveIkeSa(sa, reason);

    void IExchangeContext.StartIkeRekey(IkeSa sa, DiffieHellmanGroup? group) => StartIkeRekey(sa, group);

    IkeSa IExchangeContext.AddRekeyedSa(IkeSa old, RekeyedIkeSa rekeyed, bool adopt) => AddRekeyedSa(old, rekeyed, adopt);

    void IExchangeContext.Adopt(IkeSa old, IkeSa successor) => Adopt(old, successor);

    int IExchangeContext.HalfOpenCount => _sas.HalfOpenCount;

    int IExchangeContext.HalfOpenFrom(IPAddress address) => _sas.HalfOpenFrom(address);

    IkeInitLimits IExchangeContext.InitLimits =>
        _options.CookieThreshold is { } threshold ? Configuration.Global.IkeLimits with { CookieThreshold = threshold } : Configuration.Global.IkeLimits;

    IkeSa IExchangeContext.NewResponderSa(TunnelRuntime tunnel, IPEndPoint local, IPEndPoint remote, ulong initiatorSpi, byte[] datagram, byte[] nonceI) =>
        NewResponderSa(tunnel, local, remote, initiatorSpi, datagram, nonceI);

    void IExchangeContext.AddHalfOpen(IkeSa sa) => _sas.AddHalfOpen(sa);

    void IExchangeContext.Compute(EngineComputation computation) => StartComputation(computation);

    bool IExchangeContext.AnyDialupUsesSignature(IPAddress local) => AnyDialupUsesSignature(local);

    bool IExchangeContext.IsOnlySaOfTunnel(IkeSa sa) => !IkeSaTable.HasOtherLive(sa.Tunnel, sa);

    TunnelRuntime? IExchangeContext.ChooseDialupTemplate(TunnelRuntime first, IPAddress local, Wire.AuthMethod method, IdentificationPayload id) =>
        ChooseDialupTemplate(first, local, method, id);

    TunnelRuntime? IExchangeContext.AdmitDialupPeer(IkeSa sa, IkeMessage message, string identity, bool initialContact, List<IkePayload> payloads) =>
        AdmitDialupPeer(sa, message, identity, initialContact, payloads);

    void IExchangeContext.MarkEstablished(IkeSa sa, bool initialContact) => MarkEstablished(sa, initialContact);

    void IExchangeContext.RequestWantedPhase2(IkeSa sa, bool skipUsable) => RequestWantedPhase2(sa, skipUsable);

    void IExchangeContext.PumpQueue(IkeSa sa) => PumpQueue(sa);
}
