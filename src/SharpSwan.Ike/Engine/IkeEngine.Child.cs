using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Engine.Lifecycle;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Negotiation;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// Child SAs as the SA manager sees them: CREATE_CHILD_SA jobs queued on the IKE SA (the exchange itself is
/// <see cref="CreateChildExchange"/>), and installing what an exchange negotiated in the data plane.
/// </summary>
public sealed partial class IkeEngine
{
    private void StartCreateChild(IkeSa sa, Phase2Settings phase2, ChildSa? rekeyOf, DiffieHellmanGroup? groupOverride = null)
    {
        if (rekeyOf is not null)
        {
            rekeyOf.State = ChildSaState.Rekeying;
        }

        Enqueue(sa, new CreateChildJob(phase2, rekeyOf, groupOverride));
    }

    private void StartChildRekey(IkeSa sa, ChildSa child)
    {
        if (child.State != ChildSaState.Installed)
        {
            return;
        }

        StartCreateChild(sa, child.Settings, child);
    }

    /// <summary>
    /// Installs a child SA an exchange agreed on: on the IKE SA, in the data plane through the host, and as an event. One
    /// the data plane holds already (<paramref name="preinstalled"/>, an IKEv1 responder's) is only moved to sending.
    /// </summary>
    private ChildSa InstallChild(IkeSa sa, NegotiatedChild negotiated, bool preinstalled = false)
    {
        var (phase2, inboundSpi, outboundSpi, suite) = (negotiated.Phase2, negotiated.InboundSpi, negotiated.OutboundSpi, negotiated.Suite);
        var (localTs, remoteTs, createdByUs, activateOutbound) = (negotiated.Local, negotiated.Remote, negotiated.CreatedByUs, negotiated.ActivateOutbound);
        var now = Now;
        var life = Phase2Lifecycle.Lifetime(phase2);
        var child = new ChildSa
        {
            NegotiatedOn = sa.Serial,
            Settings = phase2,
            Serial = _nextChildSerial++,
            InboundSpi = inboundSpi,
            OutboundSpi = outboundSpi,
            Suite = suite,
            LocalSelector = localTs,
            RemoteSelector = remoteTs,
            CreatedByUs = createdByUs,
            InstalledAt = now,
            HardExpiry = now + life,
            SoftExpiry = now + life - Phase2Lifecycle.SoftMargin(life, createdByUs, _random),
            LowestNonce = negotiated.LowestNonce,
            OutboundDeferred = createdByUs && !activateOutbound,
        };
        sa.Children.Add(child);
        if (!preinstalled)
        {
            _host.InstallChildSa(ToDataPlane(sa, negotiated));
        }
        else if (negotiated.ActivateOutbound)
        {
            _host.ActivateOutbound(sa.Tunnel.Name, phase2.Name, outboundSpi);
        }

        sa.Tunnel.NextAutoAttempt.Remove(phase2.Name);
        if (_log.IsEnabled(IkeLogLevel.Negotiation))
        {
            _log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, phase2.Name, child.Serial, $"IPsec SA selectors #src=1 #dst=1 src {SelectorMath.Describe(localTs)} dst {SelectorMath.Describe(remoteTs)}");
            _log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, phase2.Name, child.Serial, $"set sa life soft seconds={(int)(child.SoftExpiry - now).TotalSeconds}. hard seconds={(int)life.TotalSeconds}.");
        }

        // Published whatever the log level: checks of the lifetimes must not depend on it.
        Publish(sa, new ChildSaLifetimeSet { Phase2 = phase2.Name, ChildSerial = child.Serial, InboundSpi = inboundSpi, OutboundSpi = outboundSpi, SoftSeconds = (int)(child.SoftExpiry - now).TotalSeconds, HardSeconds = (int)life.TotalSeconds });

        _log.Child(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, phase2.Name, child.Serial, $"added IPsec SA: SPIs={inboundSpi:x8}/{outboundSpi:x8} proposal {suite.DisplayName}{(suite.Group == DiffieHellmanGroup.None ? string.Empty : $" pfs dhgrp {(int)suite.Group}")} {(createdByUs ? "initiator" : "responder")}");
        Publish(sa, new ChildSaInstalled
        {
            Phase2 = phase2.Name,
            ChildSerial = child.Serial,
            InboundSpi = inboundSpi,
            OutboundSpi = outboundSpi,
            Proposal = suite.DisplayName,
            PfsGroup = (int)suite.Group,
            Role = createdByUs ? IkeRole.Initiator : IkeRole.Responder,
            RekeyOf = negotiated.RekeyOf?.InboundSpi,
            LocalSelector = localTs,
            RemoteSelector = remoteTs,
            OutboundActive = activateOutbound,
        });
        return child;
    }

    /// <summary>Both directions of the child SA for the data plane: we encrypt with the keys of our role, decrypt with the other's.</summary>
    private static ChildSaInstall ToDataPlane(IkeSa sa, NegotiatedChild negotiated)
    {
        var (phase2, keys, weInitiated) = (negotiated.Phase2, negotiated.Keys, negotiated.CreatedByUs);
        return new ChildSaInstall(
            sa.Tunnel.Name,
            phase2.Name,
            negotiated.InboundSpi,
            negotiated.OutboundSpi,
            negotiated.Suite,
            weInitiated ? keys.EncryptionResponderToInitiator : keys.EncryptionInitiatorToResponder,
            weInitiated ? keys.IntegrityResponderToInitiator : keys.IntegrityInitiatorToResponder,
            weInitiated ? keys.EncryptionInitiatorToResponder : keys.EncryptionResponderToInitiator,
            weInitiated ? keys.IntegrityInitiatorToResponder : keys.IntegrityResponderToInitiator,
            sa.Local,
            sa.Remote,
            sa.UsesNatTraversal,
            phase2.Replay,
            negotiated.Local,
            negotiated.Remote,
            negotiated.ActivateOutbound)
        {
            LocalBehindNat = sa.LocalBehindNat,
            NatKeepaliveSeconds = sa.Tunnel.Settings.NatKeepaliveSeconds,
        };
    }
}
