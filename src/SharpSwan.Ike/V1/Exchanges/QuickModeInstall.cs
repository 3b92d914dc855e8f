using System.Security.Cryptography;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Engine.Lifecycle;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.V1.Keys;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Turns a finished quick mode into the child SA the engine installs, through the same path as an IKEv2 child: KEYMAT per
/// SPI, keys named by direction, and the lifecycle's collision rule fed with the lower quick-mode nonce (IKEv1 has no such
/// rule of its own; both ends compute the same verdict from the same nonces).
/// </summary>
internal static class QuickModeInstall
{
    public static NegotiatedChild Negotiated(IkeSa sa, QuickModeState quick, ChildSuite suite, uint outboundSpi, byte[] pfsSecret)
    {
        var v1 = sa.V1!;
        var esp = QuickModeKeys.Derive(v1.Keys!.Prf, v1.Keys.SkeyidD, suite, pfsSecret, quick.InboundSpi, outboundSpi, quick.NonceI, quick.NonceR);
        CryptographicOperations.ZeroMemory(pfsSecret);

        // ChildSaKeys names directions by IKE role; whoever started the quick mode is the "initiator" of this child.
        var keys = quick.WeInitiated
            ? ChildSaKeys.FromDirections(esp.OutboundEncryption, esp.OutboundIntegrity, esp.InboundEncryption, esp.InboundIntegrity)
            : ChildSaKeys.FromDirections(esp.InboundEncryption, esp.InboundIntegrity, esp.OutboundEncryption, esp.OutboundIntegrity);
        return new NegotiatedChild(
            quick.Phase2,
            quick.InboundSpi,
            outboundSpi,
            suite,
            keys,
            quick.Local,
            quick.Remote,
            CreatedByUs: quick.WeInitiated,
            Phase2Lifecycle.LowestNonce(quick.NonceI, quick.NonceR),
            // Our own rekey's SA waits for the peer's first packet on it (or CommitGrace): the peer installs it only
            // when our 3rd message arrives. The responder's is committed by that message, and new SAs have nothing to wait for.
            ActivateOutbound: !quick.WeInitiated || quick.RekeyOf is null,
            quick.RekeyOf);
    }
}
