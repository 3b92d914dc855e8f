using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Crypto.Certificates;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Negotiation;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>IKE_SA_INIT in both roles: proposals, key exchange, INVALID_KE_PAYLOAD, COOKIE and NAT detection.</summary>
public sealed partial class IkeEngine
{
    /// <summary>Wants a child SA for phase 2: on the established IKE SA, or by first bringing one up.</summary>
    private void RequestChild(TunnelRuntime tunnel, Phase2Settings phase2, string reason)
    {
        if (!PolicyAllows(tunnel))
        {
            _log.Tunnel(IkeLogLevel.Event, tunnel.Name, $"ignoring request to establish IPsec SA, no policy configured ({phase2.Name}, {reason})");
            return;
        }

        var sa = tunnel.Current;
        if (sa is { State: IkeSaState.Established })
        {
            if (!HasUsableChild(tunnel, phase2.Name) && tunnel.Negotiating.Add(phase2.Name))
            {
                _log.Tunnel(IkeLogLevel.Event, tunnel.Name, $"IPsec SA connect {phase2.Name} {sa.Local}->{sa.Remote} negotiating ({reason})");
                StartCreateChild(sa, phase2, rekeyOf: null);
            }

            return;
        }

        if (sa is { State: IkeSaState.InitSent or IkeSaState.AuthSent or IkeSaState.InitResponded })
        {
            if (!sa.WantedPhase2.Contains(phase2.Name))
            {
                sa.WantedPhase2.Add(phase2.Name);
            }

            return;
        }

        StartIkeSa(tunnel, phase2.Name, reason);
    }

    private void StartIkeSa(TunnelRuntime tunnel, string phase2, string reason)
    {
        tunnel.LocalAddress ??= _options.LocalAddressResolver(tunnel.Settings);
        if (tunnel.LocalAddress is null)
        {
            _log.Tunnel(IkeLogLevel.Event, tunnel.Name, $"cannot negotiate: no IPv4 address on interface {tunnel.Settings.Interface}");
            Publish(tunnel, new NegotiationFailed { Stage = NegotiationStage.Start, Phase2 = phase2, Reason = $"no IPv4 address on interface {tunnel.Settings.Interface}" });
            return;
        }

        var now = Now;
        var sa = new IkeSa
        {
            Tunnel = tunnel,
            Serial = _nextIkeSerial++,
            IsOriginalInitiator = true,
            InitiatorSpi = NewIkeSpi(),
            Local = new IPEndPoint(tunnel.LocalAddress, _options.IkePort),
            Remote = new IPEndPoint(tunnel.Settings.RemoteGateway, _options.IkePort),
            State = IkeSaState.InitSent,
            CreatedAt = now,
            LastInbound = now,
        };
        sa.WantedPhase2.Add(phase2);
        _sas.Add(sa);
        tunnel.Current = sa;
        tunnel.Negotiating.Add(phase2);
        _log.Tunnel(IkeLogLevel.Event, tunnel.Name, $"created connection: {sa.Local.Address}->{sa.Remote} ({reason})");
        SendInit(sa, tunnel.Settings.DhGroups[0]);
    }

    private void SendInit(IkeSa sa, DiffieHellmanGroup group)
    {
        var settings = sa.Tunnel.Settings;
        sa.InitAttempts++;
        sa.InitGroup = group;
        // A retry after COOKIE must repeat the request unchanged (RFC 7296 §2.6): the responder's cookie covers our
        // nonce. Only a new DH group (INVALID_KE_PAYLOAD) needs a new key exchange.
        if (sa.PendingKeyExchange?.Group != group)
        {
            sa.PendingKeyExchange?.Dispose();
            sa.PendingKeyExchange = KeyExchange.Create(group, _random);
        }

        if (sa.NonceInitiator.Length == 0)
        {
            sa.NonceInitiator = NewNonce();
        }

        sa.Window.NextRequestId = 0;
        var payloads = new List<IkePayload>();
        if (sa.Cookie is { } cookie)
        {
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.Cookie, cookie));
        }

        payloads.Add(ProposalBuilder.ForIke(settings.Proposals, settings.DhGroups, []));
        payloads.Add(new KeyExchangePayload(group, sa.PendingKeyExchange.PublicValue));
        payloads.Add(new NoncePayload(sa.NonceInitiator));
        if (settings.NatTraversal != NatTraversal.Disable)
        {
            // With `nattraversal forced` we claim a NAT in front of us so that both ends move to UDP 4500.
            var sourceHash = settings.NatTraversal == NatTraversal.Forced ? RandomHash() : NatHash(sa.InitiatorSpi, 0, sa.Local);
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.NatDetectionSourceIp, sourceHash));
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.NatDetectionDestinationIp, NatHash(sa.InitiatorSpi, 0, sa.Remote)));
        }

        if (settings.Authmethod == Config.AuthMethod.Signature)
        {
            // RFC 7427 §4: tell the peer which hashes we verify, so it signs with one of them.
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.SignatureHashAlgorithms, DigitalSignatureAuth.SupportedHashesNotifyData));
        }

        _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"initiator: sending IKE_SA_INIT, proposals {string.Join(' ', settings.Proposals.Select(p => p.Name))}, dhgrp {(int)group}");
        // Auto-negotiate tries every 5 s until the tunnel is up (FortiOS): while the peer is silent, resend IKE_SA_INIT on
        // that schedule rather than backing off, so the tunnel is back within 5 s of the peer's return; negotiate-timeout
        // still ends the attempt, and the next one starts at once.
        var autoNegotiate = sa.Tunnel.Phase2.Any(p => p.AutoNegotiate && sa.WantedPhase2.Contains(p.Name));
        SendRequest(
            sa,
            ExchangeType.IkeSaInit,
            payloads,
            "SA_INIT",
            new InitRequest(),
            fixedInterval: autoNegotiate ? _options.AutoNegotiateInterval : null,
            limit: autoNegotiate ? int.MaxValue : null);
        sa.InitRequest = sa.Window.Outstanding!.Datagram;
        sa.Window.Outstanding.Deadline = sa.CreatedAt + TimeSpan.FromSeconds(settings.NegotiateTimeoutSeconds);
    }

    private void HandleInitResponse(IkeSa sa, IPEndPoint local, IPEndPoint remote, byte[] datagram, IkeHeader header)
    {
        if (sa.State != IkeSaState.InitSent || sa.Window.Outstanding is not { MessageId: 0 } || !header.IsResponse)
        {
            return;
        }

        var parsed = IkeMessageCodec.Decode(datagram, null);
        if (!parsed.Success || parsed.Message is not { } message)
        {
            _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"dropped SA_INIT response: {parsed.Error} {parsed.Detail}");
            return;
        }

        if (RetriedInit(sa, message))
        {
            return;
        }

        var settings = sa.Tunnel.Settings;
        if (message.Payloads.OfType<NotifyPayload>().FirstOrDefault(n => n.IsError) is { } error)
        {
            FailIkeSa(sa, $"peer answered {NotifyName(error.NotifyType)}", error.NotifyType);
            return;
        }

        var saPayload = message.Find<SecurityAssociationPayload>();
        var ke = message.Find<KeyExchangePayload>();
        var nonce = message.Find<NoncePayload>();
        if (saPayload is null || ke is null || nonce is null || nonce.Data.Length is < 16 or > 256 || header.ResponderSpi == 0)
        {
            FailIkeSa(sa, "malformed SA_INIT response");
            return;
        }

        var suite = ProposalSelector.AcceptIkeAnswer(saPayload, settings.Proposals, settings.DhGroups);
        if (suite is null || suite.Group != sa.InitGroup || ke.Group != sa.InitGroup)
        {
            FailIkeSa(sa, "peer chose a proposal we did not offer");
            return;
        }

        if (!sa.PendingKeyExchange!.TryDeriveSharedSecret(ke.Data, out var secret))
        {
            FailIkeSa(sa, "invalid key exchange value from peer");
            return;
        }

        sa.Window.Outstanding = null;
        sa.ResponderSpi = header.ResponderSpi;
        sa.NonceResponder = nonce.Data;
        sa.PeerSignatureHashes = message.FindNotify(NotifyType.SignatureHashAlgorithms) is { } hashes ? DigitalSignatureAuth.ParseHashesNotify(hashes.Data) : [];
        sa.InitResponse = datagram;
        sa.LastInbound = Now;
        EstablishKeys(sa, suite, secret);
        sa.PendingKeyExchange.Dispose();
        sa.PendingKeyExchange = null;
        DetectNat(sa, message);
        _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"negotiation result: proposal {suite.DisplayName} dhgrp {(int)suite.Group}{(sa.UsesNatTraversal ? ", NAT-T: UDP 4500" : string.Empty)}");
        SendAuth(sa);
    }

    /// <summary>
    /// The responder asked us to repeat IKE_SA_INIT with its COOKIE, or with another DH group (INVALID_KE_PAYLOAD): done
    /// here (true), or the attempt fails when it keeps asking or wants a group we do not have.
    /// </summary>
    private bool RetriedInit(IkeSa sa, IkeMessage message)
    {
        var settings = sa.Tunnel.Settings;
        if (message.FindNotify(NotifyType.Cookie) is { } cookie)
        {
            if (sa.InitAttempts > 4 || cookie.Data.Length is < 1 or > 64)
            {
                FailIkeSa(sa, "peer keeps asking for a cookie");
                return true;
            }

            _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "peer asked for a COOKIE, retrying with it");
            sa.Cookie = cookie.Data;
            sa.Window.Outstanding = null;
            SendInit(sa, sa.InitGroup);
            return true;
        }

        if (message.FindNotify(NotifyType.InvalidKePayload) is { } invalidKe)
        {
            var wanted = invalidKe.Data.Length == 2 ? (DiffieHellmanGroup)BinaryPrimitives.ReadUInt16BigEndian(invalidKe.Data) : DiffieHellmanGroup.None;
            if (sa.InitAttempts > 4 || !settings.DhGroups.Contains(wanted) || wanted == sa.InitGroup)
            {
                FailIkeSa(sa, $"peer wants DH group {(int)wanted}, which is not configured");
                return true;
            }

            _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"peer wants DH group {(int)wanted}: retrying");
            sa.Window.Outstanding = null;
            SendInit(sa, wanted);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Whether a new IKE_SA_INIT is ours to answer, and for which phase 1: not a retransmission of one we answered (that
    /// gets the same answer again), from a peer we have a phase 1 for, and not lost to our own simultaneous attempt.
    /// </summary>
    private TunnelRuntime? AcceptInitFrom(IPEndPoint local, IPEndPoint remote, byte[] datagram, IkeHeader header)
    {
        if (header.ResponderSpi != 0 || header.MessageId != 0)
        {
            return null;
        }

        if (_sas.TryFindHalfOpen(remote, header.InitiatorSpi, out var existing))
        {
            if (existing.InitRequest.AsSpan().SequenceEqual(datagram))
            {
                _log.Sa(IkeLogLevel.Negotiation, existing.Tunnel.Name, existing.Serial, "retransmitting SA_INIT response");
                _host.SendIke(local, remote, existing.InitResponse);
            }

            return null;
        }

        var tunnel = FindTunnelForPeer(local.Address, remote.Address);
        if (tunnel is null)
        {
            _log.Global(IkeLogLevel.Event, $"ignoring IKE request from {remote}: no phase1 configured for this peer");
            PublishGlobal(new PeerRefused { Local = local, Remote = remote, Reason = "no phase1 configured for this peer" });
            return null;
        }

        if (tunnel.Current is { IsOriginalInitiator: true, State: IkeSaState.InitSent or IkeSaState.AuthSent } ours && tunnel.Settings.Type != Phase1Type.Dynamic)
        {
            // Both ends started at once (both auto-negotiate). The end with the higher address keeps its own attempt and ignores
            // the peer's; the lower yields and answers. Both apply the same rule, so exactly one IKE SA results.
            if (CompareAddresses(local.Address, remote.Address) > 0)
            {
                _log.Sa(IkeLogLevel.Negotiation, tunnel.Name, ours.Serial, $"simultaneous IKE_SA_INIT from {remote}: keeping ours (higher address)");
                return null;
            }

            _log.Sa(IkeLogLevel.Negotiation, tunnel.Name, ours.Serial, $"simultaneous IKE_SA_INIT from {remote}: answering the peer's (lower address)");
        }

        return tunnel;
    }

    private void HandleInitRequest(IPEndPoint local, IPEndPoint remote, byte[] datagram, IkeHeader header)
    {
        if (AcceptInitFrom(local, remote, datagram, header) is not { } tunnel)
        {
            return;
        }

        var parsed = IkeMessageCodec.Decode(datagram, null);
        if (!parsed.Success || parsed.Message is not { } message)
        {
            _log.Global(IkeLogLevel.Negotiation, $"dropped SA_INIT from {remote}: {parsed.Error} {parsed.Detail}");
            return;
        }

        if (_sas.HalfOpenCount >= _options.CookieThreshold && !HasValidCookie(message, remote, header.InitiatorSpi))
        {
            _log.Global(IkeLogLevel.Negotiation, $"{_sas.HalfOpenCount} half-open IKE SAs: asking {remote} for a COOKIE");
            SendPlainResponse(local, remote, header, [new NotifyPayload(ProtocolId.None, [], NotifyType.Cookie, MakeCookie(message, remote, header.InitiatorSpi))]);
            return;
        }

        var settings = tunnel.Settings;
        var saPayload = message.Find<SecurityAssociationPayload>();
        var ke = message.Find<KeyExchangePayload>();
        var nonce = message.Find<NoncePayload>();
        if (saPayload is null || ke is null || nonce is null || nonce.Data.Length is < 16 or > 256)
        {
            SendPlainResponse(local, remote, header, [new NotifyPayload(ProtocolId.None, [], NotifyType.InvalidSyntax, [])]);
            return;
        }

        var choice = ProposalSelector.ChooseIke(saPayload.Proposals, settings.Proposals, settings.DhGroups, ke.Group);
        if (choice is null)
        {
            _log.Tunnel(IkeLogLevel.Event, tunnel.Name, $"negotiation failure: no SA proposal chosen for {remote}");
            Publish(tunnel, new NegotiationFailed { Local = local, Remote = remote, Stage = NegotiationStage.IkeSaInit, Notify = NotifyType.NoProposalChosen, NotifySent = true, Reason = $"no SA proposal chosen for {remote}" });
            SendPlainResponse(local, remote, header, [new NotifyPayload(ProtocolId.None, [], NotifyType.NoProposalChosen, [])]);
            return;
        }

        if (choice.Suite.Group != ke.Group)
        {
            var data = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)choice.Suite.Group);
            _log.Tunnel(IkeLogLevel.Negotiation, tunnel.Name, $"peer {remote} sent DH group {(int)ke.Group}, asking for {(int)choice.Suite.Group}");
            SendPlainResponse(local, remote, header, [new NotifyPayload(ProtocolId.None, [], NotifyType.InvalidKePayload, data)]);
            return;
        }

        using var exchange = KeyExchange.Create(choice.Suite.Group, _random);
        if (!exchange.TryDeriveSharedSecret(ke.Data, out var secret))
        {
            SendPlainResponse(local, remote, header, [new NotifyPayload(ProtocolId.None, [], NotifyType.InvalidSyntax, [])]);
            return;
        }

        var sa = NewResponderSa(tunnel, local, remote, datagram, header, nonce.Data, choice.Suite, secret);
        DetectNat(sa, message);
        AnswerInit(sa, message, choice.Proposal, choice.Suite, exchange);
    }

    /// <summary>The half-open IKE SA for an IKE_SA_INIT we answer, keyed and due to vanish at negotiate-timeout without IKE_AUTH.</summary>
    private IkeSa NewResponderSa(TunnelRuntime tunnel, IPEndPoint local, IPEndPoint remote, byte[] datagram, IkeHeader header, byte[] nonceI, IkeSuite suite, byte[] secret)
    {
        var now = Now;
        var sa = new IkeSa
        {
            Tunnel = tunnel,
            Serial = _nextIkeSerial++,
            IsOriginalInitiator = false,
            InitiatorSpi = header.InitiatorSpi,
            ResponderSpi = NewIkeSpi(),
            Local = local,
            Remote = remote,
            State = IkeSaState.InitResponded,
            CreatedAt = now,
            LastInbound = now,
            NonceInitiator = nonceI,
            NonceResponder = NewNonce(),
            InitRequest = datagram,
            DeleteBy = now + TimeSpan.FromSeconds(tunnel.Settings.NegotiateTimeoutSeconds),
        };
        sa.Window.NextExpectedRequestId = 1;
        EstablishKeys(sa, suite, secret);
        return sa;
    }

    /// <summary>Sends our IKE_SA_INIT answer (proposal, DH value, nonce, NAT detection, signature hashes, CERTREQ) and registers the SA.</summary>
    private void AnswerInit(IkeSa sa, IkeMessage message, Proposal proposal, IkeSuite suite, KeyExchange exchange)
    {
        var (tunnel, local, remote, settings) = (sa.Tunnel, sa.Local, sa.Remote, sa.Tunnel.Settings);
        var payloads = new List<IkePayload>
        {
            new SecurityAssociationPayload([proposal]),
            new KeyExchangePayload(suite.Group, exchange.PublicValue),
            new NoncePayload(sa.NonceResponder),
        };
        if (message.FindNotify(NotifyType.NatDetectionSourceIp) is not null && settings.NatTraversal != NatTraversal.Disable)
        {
            var sourceHash = settings.NatTraversal == NatTraversal.Forced ? RandomHash() : NatHash(sa.InitiatorSpi, sa.ResponderSpi, local);
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.NatDetectionSourceIp, sourceHash));
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.NatDetectionDestinationIp, NatHash(sa.InitiatorSpi, sa.ResponderSpi, remote)));
            if (settings.NatTraversal == NatTraversal.Forced)
            {
                sa.UsesNatTraversal = true;
            }
        }

        var usesSignature = settings.Authmethod == Config.AuthMethod.Signature || (tunnel.IsDialupTemplate && AnyDialupUsesSignature(local.Address));
        if (message.FindNotify(NotifyType.SignatureHashAlgorithms) is { } peerHashes)
        {
            sa.PeerSignatureHashes = DigitalSignatureAuth.ParseHashesNotify(peerHashes.Data);
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.SignatureHashAlgorithms, DigitalSignatureAuth.SupportedHashesNotifyData));
        }

        if (usesSignature && CertificateRequest() is { } certificateRequest)
        {
            // Peers commonly send their certificate only when asked (RFC 7296 §3.7).
            payloads.Add(certificateRequest);
        }

        var responseHeader = new IkeHeader(sa.InitiatorSpi, sa.ResponderSpi, PayloadType.None, ExchangeType.IkeSaInit, IkeFlags.Response, 0, 0);
        sa.InitResponse = IkeMessageCodec.Encode(responseHeader, payloads);
        _sas.AddHalfOpen(sa);
        _log.Sa(IkeLogLevel.Negotiation, tunnel.Name, sa.Serial, $"responder: SA_INIT from {remote}, negotiation result: proposal {suite.DisplayName} dhgrp {(int)suite.Group}{(sa.UsesNatTraversal ? ", NAT-T: UDP 4500" : string.Empty)}");
        Transmit(sa, sa.InitResponse, ExchangeType.IkeSaInit, isResponse: true);
    }

    private TunnelRuntime? FindTunnelForPeer(IPAddress local, IPAddress remote)
    {
        TunnelRuntime? dialup = null;
        foreach (var tunnel in _tunnels.Values)
        {
            var settings = tunnel.Settings;
            if (settings.IkeVersion != 2)
            {
                continue;
            }

            tunnel.LocalAddress ??= _options.LocalAddressResolver(settings);
            if (tunnel.LocalAddress is { } address && !address.Equals(local) && !address.Equals(IPAddress.Any))
            {
                continue;
            }

            if (settings.Type == Phase1Type.Dynamic)
            {
                dialup ??= tunnel;
            }
            else if (settings.RemoteGateway.Equals(remote))
            {
                return tunnel;
            }
        }

        return dialup;
    }

    private static int CompareAddresses(IPAddress a, IPAddress b) => a.GetAddressBytes().AsSpan().SequenceCompareTo(b.GetAddressBytes());

    private void SendPlainResponse(IPEndPoint local, IPEndPoint remote, IkeHeader request, IReadOnlyList<IkePayload> payloads)
    {
        var header = new IkeHeader(request.InitiatorSpi, 0, PayloadType.None, request.Exchange, IkeFlags.Response, request.MessageId, 0);
        _host.SendIke(local, remote, IkeMessageCodec.Encode(header, payloads));
    }

    private void EstablishKeys(IkeSa sa, IkeSuite suite, byte[] secret)
    {
        sa.Suite = suite;
        sa.Keys = IkeSaKeys.Derive(suite, secret, sa.NonceInitiator, sa.NonceResponder, sa.InitiatorSpi, sa.ResponderSpi, []);
        CryptographicOperations.ZeroMemory(secret);
        CreateProtectors(sa);
    }

    private void CreateProtectors(IkeSa sa)
    {
        var suite = sa.Suite!;
        var keys = sa.Keys!;
        var initiatorToResponder = PacketProtector.Create(suite.Encryption, suite.KeyBits, suite.Integrity, keys.SkEi, keys.SkAi, _random);
        var responderToInitiator = PacketProtector.Create(suite.Encryption, suite.KeyBits, suite.Integrity, keys.SkEr, keys.SkAr, _random);
        sa.Outbound = sa.IsOriginalInitiator ? initiatorToResponder : responderToInitiator;
        sa.Inbound = sa.IsOriginalInitiator ? responderToInitiator : initiatorToResponder;
    }

    /// <summary>RFC 7296 §2.23: compare the peer's NAT_DETECTION hashes with what the addresses we see would give.</summary>
    private void DetectNat(IkeSa sa, IkeMessage message)
    {
        var settings = sa.Tunnel.Settings;
        if (settings.NatTraversal == NatTraversal.Disable)
        {
            return;
        }

        var peerSource = message.FindAll<NotifyPayload>().Where(n => n.NotifyType == NotifyType.NatDetectionSourceIp).ToList();
        var peerDestination = message.FindNotify(NotifyType.NatDetectionDestinationIp);
        if (peerSource.Count == 0 || peerDestination is null)
        {
            sa.UsesNatTraversal = settings.NatTraversal == NatTraversal.Forced;
            return;
        }

        // In the request, the responder SPI inside the hash is still zero.
        var responderSpi = sa.IsOriginalInitiator ? sa.ResponderSpi : 0UL;
        var expectedSource = NatHash(sa.InitiatorSpi, responderSpi, sa.Remote);
        var remoteBehindNat = !peerSource.Any(n => CryptographicOperations.FixedTimeEquals(n.Data, expectedSource));
        var expectedDestination = NatHash(sa.InitiatorSpi, responderSpi, sa.Local);
        sa.LocalBehindNat = !CryptographicOperations.FixedTimeEquals(peerDestination.Data, expectedDestination);
        sa.UsesNatTraversal = remoteBehindNat || sa.LocalBehindNat || settings.NatTraversal == NatTraversal.Forced;
        if (sa.UsesNatTraversal && sa.IsOriginalInitiator)
        {
            sa.Local = new IPEndPoint(sa.Local.Address, _options.NatTraversalPort);
            sa.Remote = new IPEndPoint(sa.Remote.Address, _options.NatTraversalPort);
        }

        if (remoteBehindNat || sa.LocalBehindNat)
        {
            _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"NAT detected: {(sa.LocalBehindNat ? "me" : string.Empty)}{(sa.LocalBehindNat && remoteBehindNat ? " and " : string.Empty)}{(remoteBehindNat ? "peer" : string.Empty)} behind NAT");
        }
    }

    private static byte[] NatHash(ulong spiI, ulong spiR, IPEndPoint endpoint)
    {
        Span<byte> data = stackalloc byte[16 + 16 + 2];
        BinaryPrimitives.WriteUInt64BigEndian(data, spiI);
        BinaryPrimitives.WriteUInt64BigEndian(data[8..], spiR);
        endpoint.Address.TryWriteBytes(data[16..], out var written);
        BinaryPrimitives.WriteUInt16BigEndian(data[(16 + written)..], (ushort)endpoint.Port);
        return SHA1.HashData(data[..(16 + written + 2)]);
    }

    private byte[] RandomHash()
    {
        var hash = new byte[20];
        _random.Fill(hash);
        return hash;
    }

    private byte[] MakeCookie(IkeMessage message, IPEndPoint remote, ulong spiI)
    {
        var nonce = message.Find<NoncePayload>()?.Data ?? [];
        var input = new byte[nonce.Length + 16 + 8 + _cookieSecret.Length];
        nonce.CopyTo(input, 0);
        remote.Address.TryWriteBytes(input.AsSpan(nonce.Length), out _);
        BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(nonce.Length + 16), spiI);
        _cookieSecret.CopyTo(input, nonce.Length + 24);
        return SHA256.HashData(input);
    }

    private bool HasValidCookie(IkeMessage message, IPEndPoint remote, ulong spiI) =>
        message.Payloads.Count > 0 && message.Payloads[0] is NotifyPayload { NotifyType: NotifyType.Cookie } cookie &&
        CryptographicOperations.FixedTimeEquals(cookie.Data, MakeCookie(message, remote, spiI));

    private static string NotifyName(NotifyType type) => type switch
    {
        NotifyType.NoProposalChosen => "NO_PROPOSAL_CHOSEN",
        NotifyType.AuthenticationFailed => "AUTHENTICATION_FAILED",
        NotifyType.TsUnacceptable => "TS_UNACCEPTABLE",
        NotifyType.InvalidKePayload => "INVALID_KE_PAYLOAD",
        NotifyType.TemporaryFailure => "TEMPORARY_FAILURE",
        NotifyType.ChildSaNotFound => "CHILD_SA_NOT_FOUND",
        NotifyType.InvalidSyntax => "INVALID_SYNTAX",
        NotifyType.SinglePairRequired => "SINGLE_PAIR_REQUIRED",
        NotifyType.InternalAddressFailure => "INTERNAL_ADDRESS_FAILURE",
        NotifyType.FailedCpRequired => "FAILED_CP_REQUIRED",
        NotifyType.UnsupportedCriticalPayload => "UNSUPPORTED_CRITICAL_PAYLOAD",
        _ => ((ushort)type).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
