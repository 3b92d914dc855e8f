using System.Buffers.Binary;
using System.Net;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// The IKEv2 protocol engine for a whole gateway. Sans-IO: bytes come in through <see cref="ReceiveDatagram"/>, time is read
/// from the injected <see cref="TimeProvider"/> and advanced by calling <see cref="Tick"/>, randomness comes from
/// <see cref="IRandomSource"/>, and every effect goes out through <see cref="IIkeEngineHost"/>. Not thread-safe: the owner calls
/// it from one thread (the gateway's event loop, or the simulation).
/// </summary>
public sealed partial class IkeEngine : IDisposable
{
    private const int MinChildSpisRebuild = 1024;

    private readonly IkeEngineOptions _options;
    private readonly TimeProvider _time;
    private readonly IRandomSource _random;
    private readonly IIkeEngineHost _host;
    private readonly IkeLogger _log;
    private readonly Dictionary<string, TunnelRuntime> _tunnels = new(StringComparer.Ordinal);

    // The configured phase 1s (static and dial-up templates) apart from the dial-up instances in _tunnels, and an index of
    // them built on first use after a change: peer lookups never walk the instances (issue 14 item 7).
    private readonly Dictionary<string, TunnelRuntime> _configured = new(StringComparer.Ordinal);
    private ConfiguredTunnels? _configuredIndex;

    // Inbound child SPIs handed out (see NewChildSpi).
    private readonly HashSet<uint> _childSpis = [];
    private int _childSpisRebuildAt = MinChildSpisRebuild;
    private readonly IkeSaTable _sas;
    private int _nextIkeSerial = 1;
    private int _nextChildSerial = 1;

    // The exchanges: each builds its requests, handles their answers and answers the peer's; the engine owns the SAs.
    private readonly LivenessExchange _liveness;
    private readonly InformationalExchange _informational;
    private readonly IkeRekeyExchange _ikeRekey;
    private readonly ChildResponder _childResponder;
    private readonly ChildSettlement _childSettlement;
    private readonly CreateChildExchange _createChild;
    private readonly InitCookies _cookies;
    private readonly InitAdmission _initAdmission;
    private readonly IkeSaInitExchange _saInit;
    private readonly IkeAuthExchange _auth;

    public IkeEngine(GatewayConfiguration configuration, IkeEngineOptions options, TimeProvider time, IRandomSource random, IIkeEngineHost host, IIkeLog log)
    {
        this._options = options;
        this._time = time;
        this._random = random;
        this._host = host;
        this._log = new IkeLogger(log);
        _sas = new IkeSaTable(Touch);
        _liveness = new LivenessExchange(this);
        _informational = new InformationalExchange(this);
        _ikeRekey = new IkeRekeyExchange(this);
        _childResponder = new ChildResponder(this);
        _childSettlement = new ChildSettlement(this);
        _createChild = new CreateChildExchange(this, _childResponder, _childSettlement, _ikeRekey);
        _cookies = new InitCookies(random);
        _initAdmission = new InitAdmission(this, _cookies, _gate.Statistics);
        _saInit = new IkeSaInitExchange(this, this, _initAdmission);
        _auth = new IkeAuthExchange(this, this, _createChild, _childResponder, _childSettlement);
        Configuration = configuration;
        LoadCredentials(configuration);
        foreach (var phase1 in configuration.Phase1)
        {
            AddTunnel(phase1);
        }
    }

    public GatewayConfiguration Configuration { get; private set; }

    public IReadOnlyCollection<TunnelRuntime> Tunnels => _tunnels.Values;

    private DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>
    /// Brings up every auto-negotiate phase 2 (FortiOS does this at start without waiting for traffic), and from now on the
    /// IKE SA of every phase 1 with auto-negotiate enable.
    /// </summary>
    public void Start()
    {
        _started = true;
        TouchAll();
        var now = Now;
        foreach (var tunnel in _tunnels.Values)
        {
            foreach (var phase2 in tunnel.Phase2.Where(p => p.AutoNegotiate))
            {
                tunnel.NextAutoAttempt[phase2.Name] = now;
            }
        }

        Tick();
    }

    /// <summary>Asks for a phase 2 to be negotiated now (traffic, or `diagnose vpn tunnel up`). False if unknown or impossible.</summary>
    public bool Initiate(string phase1, string? phase2Name)
    {
        if (!TryGetTunnel(phase1, out var tunnel))
        {
            return false;
        }

        var targets = phase2Name is null ? tunnel.Phase2 : tunnel.Phase2.Where(p => p.Name == phase2Name).ToList();
        if (targets.Count == 0)
        {
            return false;
        }

        if (tunnel.Settings.Type == Phase1Type.Dynamic)
        {
            _log.Tunnel(IkeLogLevel.Event, tunnel.Name, "dial-up gateway: cannot initiate, waiting for the peer");
            Publish(tunnel, new InitiateRefused { DialUp = true });
            return false;
        }

        foreach (var phase2 in targets)
        {
            RequestChild(tunnel, phase2, reason: "negotiate");
        }

        return true;
    }

    /// <summary>Data plane saw a packet for a phase 2 that has no SA: negotiate it (on-demand).</summary>
    public void Acquire(string phase1, string phase2)
    {
        if (TryGetTunnel(phase1, out var tunnel) && tunnel.FindPhase2(phase2) is { } settings && tunnel.Settings.Type != Phase1Type.Dynamic)
        {
            if (!HasUsableChild(tunnel, settings.Name) && !tunnel.Negotiating.Contains(settings.Name))
            {
                RequestChild(tunnel, settings, reason: "traffic");
            }
        }
    }

    /// <summary>Brings a phase 2 down (deletes its SAs); with phase2 null the whole tunnel including the IKE SA.</summary>
    public bool Terminate(string phase1, string? phase2)
    {
        if (!TryGetTunnel(phase1, out var tunnel))
        {
            return false;
        }

        if (tunnel.Current is not { } sa)
        {
            return true;
        }

        if (phase2 is null)
        {
            DeleteIkeSa(sa, notifyPeer: true, reason: "administrative down");
            return true;
        }

        foreach (var child in sa.Children.Where(c => c.Phase2Name == phase2).ToList())
        {
            DeleteChild(sa, child, notifyPeer: true, reason: "administrative down");
        }

        return true;
    }

    /// <summary>Starts a rekey of a phase 2's current child SA now (SharpSwan's `diagnose vpn tunnel rekey`).</summary>
    public bool RekeyChild(string phase1, string phase2)
    {
        if (!TryGetTunnel(phase1, out var tunnel) || tunnel.Current is not { State: IkeSaState.Established } sa)
        {
            return false;
        }

        var child = sa.Children.FirstOrDefault(c => c.Phase2Name == phase2 && c.State == ChildSaState.Installed);
        if (child is null)
        {
            return false;
        }

        StartChildRekey(sa, child);
        return true;
    }

    /// <summary>Starts an IKE SA rekey now.</summary>
    public bool RekeyIke(string phase1)
    {
        if (!TryGetTunnel(phase1, out var tunnel) || tunnel.Current is not { State: IkeSaState.Established } sa)
        {
            return false;
        }

        // IKEv1 renews the ISAKMP SA with a new main mode (its IPsec SAs carry over).
        if (sa.V1 is not null)
        {
            RenewIsakmpSa(sa);
            return true;
        }

        StartIkeRekey(sa);
        return true;
    }

    /// <summary>Handles one IKE datagram (non-ESP marker already removed). Never throws on bad input.</summary>
    public void ReceiveDatagram(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> datagram)
    {
        if (!IkeHeader.TryRead(datagram, out var header))
        {
            _log.Global(IkeLogLevel.Packet, $"dropped {datagram.Length} bytes from {remote}: too short for IKE");
            PublishGlobal(new MalformedMessageDropped { Remote = remote, Local = local, Error = IkeParseError.Truncated, IsResponse = false });
            return;
        }

        if (_log.IsEnabled(IkeLogLevel.Packet))
        {
            _log.Global(IkeLogLevel.Packet, $"comes {remote}->{local},len={datagram.Length}");
            var exchange = header.MajorVersion == 1 ? ((V1.Wire.IsakmpExchangeType)header.Exchange).ToString() : WireText.ExchangeName(header.Exchange);
            _log.Global(IkeLogLevel.Packet, $"IKEv{header.MajorVersion} exchange={exchange} id={header.InitiatorSpi:x16}/{header.ResponderSpi:x16}:{header.MessageId:x8} len={datagram.Length}");
        }

        if (header.MajorVersion == 1)
        {
            ReceiveIsakmp(local, remote, datagram);
            return;
        }

        if (header.MajorVersion != 2)
        {
            _log.Global(IkeLogLevel.Negotiation, $"ignoring IKE message from {remote}: version {header.MajorVersion}.x is not IKEv2");
            return;
        }

        if (header.Exchange == ExchangeType.IkeSaInit && !header.IsResponse)
        {
            if (!_initAdmission.AdmitSize(datagram.Length, local, remote))
            {
                return;
            }

            HandleInitRequest(local, remote, datagram.ToArray(), header);
            return;
        }

        // The original initiator's messages carry the I flag; our SPI is the other one.
        var ourSpi = header.IsInitiatorFlag ? header.ResponderSpi : header.InitiatorSpi;
        if (!_sas.TryFind(ourSpi, out var sa))
        {
            _log.Global(IkeLogLevel.Negotiation, $"ignoring {WireText.ExchangeName(header.Exchange)} from {remote}: no IKE SA {header.InitiatorSpi:x16}/{header.ResponderSpi:x16}");
            return;
        }

        if (sa.Computing is not null)
        {
            // The SA waits for its public-key work: what comes meanwhile is taken once the work is back, through this same
            // path (so its steps keep their order, and a repeated request is answered from the cache, not computed again).
            Hold(sa, local, remote, datagram, header);
            return;
        }

        if (header.Exchange == ExchangeType.IkeSaInit)
        {
            HandleInitResponse(sa, datagram.ToArray(), header);
            return;
        }

        if (header.NextPayload == PayloadType.EncryptedFragment)
        {
            ReceiveFragment(sa, local, remote, datagram, header);
            return;
        }

        // Nothing below may see a message that is not SK-protected and verified: it would act on an attacker's words.
        if (!AdmitProtected(sa, local, remote, datagram, header, out var parsed))
        {
            return;
        }

        if (header.IsResponse)
        {
            ReceiveProtectedResponse(sa, local, remote, parsed, header);
        }
        else
        {
            ReceiveProtectedRequest(sa, local, remote, parsed, header);
        }
    }

    private void ReceiveProtectedResponse(IkeSa sa, IPEndPoint local, IPEndPoint remote, IkeParseResult parsed, IkeHeader header)
    {
        if (sa.Window.Answered(header.MessageId) is not { } pending)
        {
            _log.Sa(IkeLogLevel.Packet, sa.Tunnel.Name, sa.Serial, $"ignoring response id {header.MessageId}: not outstanding");
            Publish(sa, new ResponseIgnored { MessageId = header.MessageId });
            return;
        }

        if (!parsed.Success || parsed.Message is null)
        {
            _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"dropped response: {parsed.Error} {parsed.Detail}");
            Publish(sa, new MalformedMessageDropped { Error = parsed.Error, IsResponse = true });
            return;
        }

        FollowPeer(sa, local, remote);
        ReceiveResponse(sa, pending, parsed.Message);
    }

    /// <summary>
    /// After NAT detection the peer's endpoint is where its last authenticated message came from (RFC 7296 §2.23): it
    /// floated to UDP 4500, or its NAT mapping changed. The IKE SA and its child SAs' ESP follow it.
    /// </summary>
    private void FollowPeer(IkeSa sa, IPEndPoint local, IPEndPoint remote)
    {
        if (!sa.UsesNatTraversal || (sa.Remote.Equals(remote) && sa.Local.Equals(local)))
        {
            return;
        }

        var previous = sa.Remote;
        sa.Remote = remote;
        sa.Local = local;
        if (previous.Equals(remote))
        {
            return;
        }

        var spis = sa.Children.Select(c => c.InboundSpi).ToList();
        if (spis.Count > 0)
        {
            _host.PeerEndpointMoved(spis, remote);
        }

        _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"peer moved from {previous} to {remote}: {spis.Count} child SA(s) follow");
        Publish(sa, new PeerEndpointMoved { Previous = previous, ChildSas = spis.Count });
    }

    private void ReceiveProtectedRequest(IkeSa sa, IPEndPoint local, IPEndPoint remote, IkeParseResult request, IkeHeader header)
    {
        if (sa.Window.ResponseToRepeat(header.MessageId) is { } repeat)
        {
            // A retransmitted request: answer with the same bytes, do not process twice.
            _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"retransmitting response to duplicate request id {header.MessageId}");
            Publish(sa, new ResponseRetransmitted { MessageId = header.MessageId, SaInit = false });
            foreach (var datagram in repeat)
            {
                _host.SendIke(sa.Local, sa.Remote, datagram);
            }

            return;
        }

        if (header.MessageId != sa.NextExpectedRequestId)
        {
            _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"ignoring request id {header.MessageId}, expected {sa.NextExpectedRequestId}");
            return;
        }

        if (!request.Success || request.Message is null)
        {
            _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"dropped request: {request.Error} {request.Detail}");
            Publish(sa, new MalformedMessageDropped { Error = request.Error, IsResponse = false });
            if (request.Error == IkeParseError.UnsupportedCriticalPayload && request.OffendingPayload is { } offending)
            {
                var data = new[] { (byte)offending };
                Respond(sa, header, [new NotifyPayload(ProtocolId.None, [], NotifyType.UnsupportedCriticalPayload, data)]);
            }

            return;
        }

        sa.LastInbound = Now;
        FollowPeer(sa, local, remote);

        switch (header.Exchange)
        {
            case ExchangeType.IkeAuth:
                _auth.HandleRequest(sa, request.Message);
                break;
            case ExchangeType.CreateChildSa:
                _createChild.HandleRequest(sa, request.Message);
                break;
            case ExchangeType.Informational:
                _informational.HandleRequest(sa, request.Message);
                break;
            default:
                _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"ignoring unknown exchange {(byte)header.Exchange}");
                break;
        }
    }

    public void Dispose()
    {
        _cookies.Wipe();
        foreach (var sa in _sas.Clear())
        {
            sa.Dispose();
        }

        // Signatures still being made or checked elsewhere keep what they use until they are done.
        _credentialGeneration.Release();
    }

    private void AddTunnel(Phase1Settings phase1)
    {
        var tunnel = new TunnelRuntime
        {
            Settings = phase1,
            Phase2 = Configuration.Phase2For(phase1.Name).ToList(),
            LocalAddress = _options.LocalAddressResolver(phase1),
        };
        Register(tunnel);
    }

    /// <summary>A tunnel joins the engine: by name, and a configured one in the configured index.</summary>
    private void Register(TunnelRuntime tunnel)
    {
        tunnel.Sequence = _nextTunnelSequence++;
        _tunnels[tunnel.Name] = tunnel;
        if (tunnel.Template is { } template)
        {
            template.Instances[tunnel.InstanceIndex] = tunnel;
            if (tunnel.InstanceIdentity is { } identity)
            {
                if (!template.InstancesByIdentity.TryGetValue(identity, out var same))
                {
                    same = [];
                    template.InstancesByIdentity[identity] = same;
                }

                same.Add(tunnel);
            }
        }
        else
        {
            _configured[tunnel.Name] = tunnel;
            _configuredIndex = null;
        }

        Touch(tunnel);
    }

    /// <summary>A tunnel leaves the engine; a dial-up instance gives its index back for the next peer. False if unknown.</summary>
    private bool Forget(TunnelRuntime tunnel)
    {
        if (!_tunnels.TryGetValue(tunnel.Name, out var known) || known != tunnel)
        {
            return false;
        }

        _tunnels.Remove(tunnel.Name);
        if (tunnel.Template is { } template)
        {
            template.Instances.Remove(tunnel.InstanceIndex);
            template.FreeInstanceIndexes.Add(tunnel.InstanceIndex);
            if (tunnel.InstanceIdentity is { } identity && template.InstancesByIdentity.TryGetValue(identity, out var same))
            {
                same.Remove(tunnel);
                if (same.Count == 0)
                {
                    template.InstancesByIdentity.Remove(identity);
                }
            }
        }
        else
        {
            _configured.Remove(tunnel.Name);
            _configuredIndex = null;
        }

        return true;
    }

    private ConfiguredTunnels ConfiguredIndex() => _configuredIndex ??= new ConfiguredTunnels(_configured.Values);

    /// <summary>A tunnel a command names: found by name, and touched for the timer index (the command may change it).</summary>
    private bool TryGetTunnel(string name, out TunnelRuntime tunnel)
    {
        if (!_tunnels.TryGetValue(name, out tunnel!))
        {
            return false;
        }

        Touch(tunnel);
        return true;
    }

    private static bool HasUsableChild(TunnelRuntime tunnel, string phase2) =>
        tunnel.Current is { State: IkeSaState.Established } sa &&
        sa.Children.Any(c => c.Phase2Name == phase2 && c.State is ChildSaState.Installed or ChildSaState.Rekeying);

    private ulong NewIkeSpi()
    {
        Span<byte> bytes = stackalloc byte[8];
        while (true)
        {
            _random.Fill(bytes);
            var spi = BinaryPrimitives.ReadUInt64BigEndian(bytes);
            if (spi != 0 && !_sas.Contains(spi))
            {
                return spi;
            }
        }
    }

    private uint NewChildSpi()
    {
        // The set holds every SPI handed out since it was last rebuilt from the live children (all children get their
        // SPI here), so it covers every live one; rebuilt once it has doubled, it costs O(1) per SPI instead of a walk
        // over every child of every SA (which made each setup O(tunnels)).
        if (_childSpis.Count >= _childSpisRebuildAt)
        {
            _childSpis.Clear();
            foreach (var child in AllChildren())
            {
                _childSpis.Add(child.InboundSpi);
            }

            _childSpisRebuildAt = Math.Max(MinChildSpisRebuild, 2 * _childSpis.Count);
        }

        Span<byte> bytes = stackalloc byte[4];
        while (true)
        {
            _random.Fill(bytes);
            var spi = BinaryPrimitives.ReadUInt32BigEndian(bytes);

            // SPIs 1-255 are reserved by IANA; also avoid clashing with our own live SPIs.
            if (spi > 255 && _childSpis.Add(spi))
            {
                return spi;
            }
        }
    }

    /// <summary>The tunnel (phase 1 or dial-up instance) of that name; null if there is none.</summary>
    public TunnelRuntime? FindTunnel(string name) => _tunnels.GetValueOrDefault(name);

    private byte[] NewNonce()
    {
        var nonce = new byte[32];
        _random.Fill(nonce);
        return nonce;
    }

    private IEnumerable<ChildSa> AllChildren() =>
        _sas.All.SelectMany(sa => sa.Children);
}
