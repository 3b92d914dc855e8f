using SharpSwan.Config;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.V1.Keys;
using SharpSwan.Ike.V1.Wire;
using SharpSwan.Ike.V1.Xauth;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// The ISAKMP transaction exchange (draft-dukes-ike-mode-cfg) after phase 1, as the server of a dial-up phase 1: our XAUTH
/// REQUEST, the client's REPLY with user name and password, our SET with XAUTH_STATUS and the client's ACK
/// (draft-beaulieu-ike-xauth); and the client's mode-config REQUEST (pull) answered with a REPLY holding its address.
/// Every message is encrypted and led by HASH = prf(SKEYID_a, M-ID | attribute payload), as informational messages are.
/// </summary>
internal sealed class TransactionExchange(IIsakmpContext context)
{
    /// <summary>Phase 1 is done and the phase 1 wants XAUTH: ask the client for its user name and password.</summary>
    public void StartXauth(IkeSa sa)
    {
        sa.V1!.XauthPending = true;
        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "initiating XAUTH: sending request for user name and password");
        SendRequest(sa, ModeConfigMessageType.Request, XauthCredentials.RequestAttributes(), "XAUTH request");
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

        bool client = sa.Tunnel.Settings.XauthType == XauthType.Client;
        var (answer, label) = request switch
        {
            { MessageType: ModeConfigMessageType.Request } when client && request.Find(ModeConfigAttributeType.XauthUserName) is not null =>
                (XauthClient.Reply(sa.Tunnel.Settings, request), "XAUTH reply"),
            { MessageType: ModeConfigMessageType.Set } when client && request.Find(ModeConfigAttributeType.XauthStatus) is { } status =>
                (new AttributePayload(ModeConfigMessageType.Ack, request.Identifier, [status]), "XAUTH status ack"),
            { MessageType: ModeConfigMessageType.Request } when !client =>
                (new AttributePayload(ModeConfigMessageType.Reply, request.Identifier, context.ModeConfigReply(sa, request)), "mode-cfg reply"),
            _ => (null, null),
        };
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
        if (answer.MessageType == ModeConfigMessageType.Ack)
        {
            LoggedIn(sa, answer.Find(ModeConfigAttributeType.XauthStatus)!.BasicValue == XauthCredentials.StatusOk);
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
            ? XauthCredentials.Check(context.Configuration, group, answer)
            : XauthFailure.MissingCredentials;
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

    private void SendRequest(IkeSa sa, ModeConfigMessageType type, IReadOnlyList<DataAttribute> attributes, string label)
    {
        var v1 = sa.V1!;
        uint id = IsakmpProtection.NewMessageId(v1, context.Random);
        var bytes = Seal(sa, id, new AttributePayload(type, (ushort)(id & 0xffff), attributes), v1.IvFor(id));
        context.SendIsakmpRequest(sa, bytes, id, label, new TransactionRequest(id, type));
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
