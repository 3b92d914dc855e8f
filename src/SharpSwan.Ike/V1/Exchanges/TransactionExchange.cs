using SharpSwan.Config;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.V1.Keys;
using SharpSwan.Ike.V1.Wire;
using SharpSwan.Ike.V1.Xauth;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// The ISAKMP transaction exchange (draft-dukes-ike-mode-cfg) after phase 1. As the server of a dial-up phase 1: our XAUTH
/// REQUEST (generic, or RADIUS-CHAP with a challenge), the client's REPLY with user name and password, our SET with
/// XAUTH_STATUS and the client's ACK (draft-beaulieu-ike-xauth); the client's mode-config REQUEST (pull) answered with a
/// REPLY holding its address, or, when it asks for none, our SET with the address (push) and its ACK. As the client: the
/// answers to those. Every message is encrypted and led by HASH = prf(SKEYID_a, M-ID | attribute payload), as
/// informational messages are.
/// </summary>
internal sealed class TransactionExchange(IIsakmpContext context)
{
    private const string LabelStatusAck = "XAUTH status ack";
    private const string LabelModeConfigAck = "mode-cfg ack";

    /// <summary>Phase 1 is done and the phase 1 wants XAUTH: ask the client for its user name and password.</summary>
    public void StartXauth(IkeSa sa)
    {
        var v1 = sa.V1!;
        v1.XauthPending = true;
        v1.XauthChallenge = null;
        if (sa.Tunnel.Settings.XauthType == XauthType.Chap)
        {
            // auto stays PAP towards the client, as on FortiOS; only chap asks for a CHAP answer.
            v1.XauthChallenge = new byte[XauthChap.ChallengeLength];
            context.Random.Fill(v1.XauthChallenge);
        }

        var what = v1.XauthChallenge is null ? "user name and password" : "user name and CHAP response";
        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"initiating XAUTH: sending request for {what}");
        SendRequest(sa, ModeConfigMessageType.Request, XauthCredentials.RequestAttributes(v1.XauthChallenge), "XAUTH request");
    }

    /// <summary>
    /// The client asked for no address within the wait after phase 1 (and XAUTH): we push it in a SET (strongSwan's
    /// <c>pull = no</c> waits for exactly that). An empty answer (mode-cfg off, pool exhausted: already logged) sends nothing.
    /// </summary>
    public void PushModeConfig(IkeSa sa)
    {
        sa.V1!.ModeConfigSettled = true;
        var attributes = context.ModeConfigReply(sa, wantsAddress: true);
        if (attributes.Count == 0)
        {
            return;
        }

        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "mode-cfg: no request from the client, pushing its address (SET)");
        SendRequest(sa, ModeConfigMessageType.Set, attributes, "mode-cfg set", modeConfig: true);
    }

    /// <summary>A transaction message: the answer to our outstanding REQUEST or SET, or a new REQUEST of the client's.</summary>
    public void Handle(IkeSa sa, IsakmpParseResult outer, byte[] datagram)
    {
        var v1 = sa.V1!;
        uint id = outer.Header!.Value.MessageId;
        if (sa.Window.Outstanding is { Request: TransactionRequest ours } && ours.MessageId == id)
        {
            if (Open(sa, outer, v1.ExchangeIvs[id], out _) is { } theirs)
            {
                sa.Window.Outstanding = null;
                Finish(v1, id);
                HandleAnswer(sa, ours, theirs);
            }

            return;
        }

        if (v1.Finished.Contains(id) || v1.ExchangeIvs.ContainsKey(id))
        {
            return;
        }

        if (Open(sa, outer, v1.IvFor(id), out var nextIv) is not { } request)
        {
            v1.ExchangeIvs.Remove(id);
            return;
        }

        var (answer, label) = Answer(sa, request);
        if (answer is null)
        {
            context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"transaction {id:x8}: {request.MessageType} not expected here, ignored");
            Finish(v1, id);
            return;
        }

        var bytes = Seal(sa, id, answer, nextIv);
        Finish(v1, id);
        v1.Answers[IsakmpSaState.Fingerprint(datagram)] = bytes;
        context.SendIsakmp(sa, bytes, label!);
        switch (label)
        {
            case LabelStatusAck:
                LoggedIn(sa, answer.Find(ModeConfigAttributeType.XauthStatus)!.BasicValue == XauthCredentials.StatusOk);
                break;
            case LabelModeConfigAck:
                context.ModeConfigReceived(sa, request);
                break;
        }
    }

    /// <summary>Our answer to a REQUEST or SET of the peer's, by our role on this phase 1; null when none is due.</summary>
    private (AttributePayload? Answer, string? Label) Answer(IkeSa sa, AttributePayload request)
    {
        var settings = sa.Tunnel.Settings;
        bool xauthClient = settings.XauthType == XauthType.Client;
        switch (request.MessageType)
        {
            case ModeConfigMessageType.Request when xauthClient && request.Find(ModeConfigAttributeType.XauthUserName) is not null:
                return (XauthClient.Reply(settings, request), "XAUTH reply");
            case ModeConfigMessageType.Set when xauthClient && request.Find(ModeConfigAttributeType.XauthStatus) is { } status:
                return (new AttributePayload(ModeConfigMessageType.Ack, request.Identifier, [status]), LabelStatusAck);
            case ModeConfigMessageType.Set when settings.ModeCfg && !sa.Tunnel.IsDialupInstance && request.Find(ModeConfigAttributeType.InternalIp4Address) is { VariableValue.Length: 4 }:
                // The ACK names the attributes we took, with no values (draft-dukes-ike-mode-cfg §3.2).
                var taken = request.Attributes.Where(a => a.Type is (ushort)ModeConfigAttributeType.InternalIp4Address or (ushort)ModeConfigAttributeType.InternalIp4Netmask)
                    .Select(a => DataAttribute.Variable(a.Type, [])).ToList();
                return (new AttributePayload(ModeConfigMessageType.Ack, request.Identifier, taken), LabelModeConfigAck);
            case ModeConfigMessageType.Request when !xauthClient:
                sa.V1!.ModeConfigSettled = true;
                var wantsAddress = request.Find(ModeConfigAttributeType.InternalIp4Address) is not null;
                return (new AttributePayload(ModeConfigMessageType.Reply, request.Identifier, context.ModeConfigReply(sa, wantsAddress)), "mode-cfg reply");
            default:
                return (null, null);
        }
    }

    /// <summary>We are the client and the server told us the XAUTH outcome (we acknowledged it already).</summary>
    private void LoggedIn(IkeSa sa, bool ok)
    {
        var user = sa.Tunnel.Settings.AuthUser ?? string.Empty;
        if (!ok)
        {
            context.Log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, $"XAUTH login as \"{user}\" refused by the peer");
            context.FailIkeSa(sa, $"XAUTH login as {user} refused by the peer", stage: NegotiationStage.IkeAuth);
            return;
        }

        context.Log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, $"XAUTH login as \"{user}\" accepted by the peer");
        sa.Tunnel.XauthUser = user;
        sa.V1!.XauthPending = false;
        context.Publish(sa, new XauthSucceeded { User = user, Group = string.Empty });
        context.XauthAccepted(sa);
    }

    private void HandleAnswer(IkeSa sa, TransactionRequest ours, AttributePayload answer)
    {
        if (ours.ModeConfig)
        {
            bool tookAddress = answer.MessageType == ModeConfigMessageType.Ack && answer.Find(ModeConfigAttributeType.InternalIp4Address) is not null;
            context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, tookAddress ? "mode-cfg set acknowledged" : $"mode-cfg set answered by {answer.MessageType} without the address");
            return;
        }

        if (ours.Sent == ModeConfigMessageType.Set)
        {
            // The client's ACK of XAUTH_STATUS ok: from here quick mode is allowed.
            context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "XAUTH status acknowledged");
            return;
        }

        var settings = sa.Tunnel.Settings;
        var group = settings.AuthUserGroup ?? string.Empty;
        var user = XauthCredentials.UserName(answer);
        var failure = answer.MessageType == ModeConfigMessageType.Reply
            ? XauthCredentials.Check(context.Configuration, group, answer, sa.V1!.XauthChallenge)
            : XauthFailure.MissingCredentials;
        sa.V1!.XauthChallenge = null;
        if (failure is { } why)
        {
            context.Log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, $"XAUTH user \"{user}\" of group \"{group}\" authentication failed ({why}) from {sa.Remote}");
            context.Publish(sa, new XauthFailed { User = user, Group = group, Failure = why });
            context.SendIsakmp(sa, SealNew(sa, ModeConfigMessageType.Set, XauthCredentials.StatusAttributes(ok: false)), "XAUTH status fail");
            context.XauthRefused(sa);
            return;
        }

        context.Log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, $"XAUTH user \"{user}\" of group \"{group}\" authenticated");
        sa.Tunnel.XauthUser = user;
        sa.Tunnel.XauthGroup = group;
        sa.V1!.XauthPending = false;
        context.Publish(sa, new XauthSucceeded { User = user, Group = group });
        SendRequest(sa, ModeConfigMessageType.Set, XauthCredentials.StatusAttributes(ok: true), "XAUTH status");
        context.XauthAccepted(sa);
    }

    private void SendRequest(IkeSa sa, ModeConfigMessageType type, IReadOnlyList<DataAttribute> attributes, string label, bool modeConfig = false)
    {
        var v1 = sa.V1!;
        uint id = IsakmpProtection.NewMessageId(v1, context.Random);
        var bytes = Seal(sa, id, new AttributePayload(type, (ushort)(id & 0xffff), attributes), v1.IvFor(id));
        context.SendIsakmpRequest(sa, bytes, id, label, new TransactionRequest(id, type, modeConfig));
    }

    /// <summary>A one-way message in a new exchange (the failed status: the ISAKMP SA goes right after it).</summary>
    private byte[] SealNew(IkeSa sa, ModeConfigMessageType type, IReadOnlyList<DataAttribute> attributes)
    {
        var v1 = sa.V1!;
        uint id = IsakmpProtection.NewMessageId(v1, context.Random);
        var bytes = Seal(sa, id, new AttributePayload(type, (ushort)(id & 0xffff), attributes), v1.IvFor(id));
        Finish(v1, id);
        return bytes;
    }

    /// <summary>Encrypts the payload after HASH with <paramref name="iv"/>, which ends as the CBC state after this message.</summary>
    private static byte[] Seal(IkeSa sa, uint id, AttributePayload payload, byte[] iv)
    {
        var v1 = sa.V1!;
        var keys = v1.Keys!;
        var chain = IsakmpProtection.ChainWithHash([payload], rest => QuickModeHashes.First(keys.Prf, keys.SkeyidA, id, rest), keys.Prf.OutputSize);
        var bytes = IsakmpProtection.Seal(v1, IsakmpProtection.Header(sa, IsakmpExchangeType.Transaction, id), IsakmpPayloadType.Hash, chain, iv);
        v1.ExchangeIvs[id] = iv;
        return bytes;
    }

    /// <summary>The attribute payload of a verified message; null (logged) when it does not decrypt or its HASH is wrong.</summary>
    private AttributePayload? Open(IkeSa sa, IsakmpParseResult outer, byte[] iv, out byte[] nextIv)
    {
        var v1 = sa.V1!;
        var keys = v1.Keys!;
        uint id = outer.Header!.Value.MessageId;
        var parsed = IsakmpProtection.Open(v1, outer, iv, out nextIv);
        if (parsed.Message is not { } message || !IsakmpProtection.HashMatches(message, QuickModeHashes.First(keys.Prf, keys.SkeyidA, id, message.AfterFirstPayload.Span)) ||
            message.Find<AttributePayload>() is not { } attributes)
        {
            context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"transaction {id:x8}: dropped, no attribute payload or HASH failed ({(parsed.Success ? "hash" : parsed.Detail)})");
            context.Publish(sa, new MalformedMessageDropped { Error = SharpSwan.Ike.Wire.IkeParseError.IntegrityCheckFailed, IsResponse = false });
            return null;
        }

        return attributes;
    }

    private static void Finish(IsakmpSaState v1, uint id)
    {
        v1.ExchangeIvs.Remove(id);
        v1.Finished.Add(id);
    }
}
