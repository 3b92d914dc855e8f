using System.Security.Cryptography;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Engine.Lifecycle;
using SharpSwan.Ike.Keys;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// The SA manager's side of an IKE SA rekey (RFC 7296 §2.18; the exchange is <see cref="IkeRekeyExchange"/>): the job that
/// starts it, registering the new IKE SA, and moving the child SAs and the queued work over to it.
/// </summary>
public sealed partial class IkeEngine
{
    private void StartIkeRekey(IkeSa sa, DiffieHellmanGroup? groupOverride = null)
    {
        sa.RekeyAt = null;
        Enqueue(sa, new RekeyIkeSaJob(groupOverride));
    }

    /// <summary>Registers the IKE SA a rekey made (<see cref="IkeRekeyExchange"/>); with adopt it takes over at once.</summary>
    private IkeSa AddRekeyedSa(IkeSa old, RekeyedIkeSa rekeyed, bool adopt)
    {
        var (isInitiator, initiatorSpi, responderSpi, suite) = (rekeyed.IsInitiator, rekeyed.InitiatorSpi, rekeyed.ResponderSpi, rekeyed.Suite);
        var (nonceI, nonceR, secret) = (rekeyed.NonceInitiator, rekeyed.NonceResponder, rekeyed.Secret);
        var tunnel = old.Tunnel;
        var now = Now;
        var successor = new IkeSa
        {
            Tunnel = tunnel,
            Serial = _nextIkeSerial++,
            IsOriginalInitiator = isInitiator,
            InitiatorSpi = initiatorSpi,
            ResponderSpi = responderSpi,
            Local = old.Local,
            Remote = old.Remote,
            UsesNatTraversal = old.UsesNatTraversal,
            LocalBehindNat = old.LocalBehindNat,
            FragmentationAgreed = old.FragmentationAgreed,
            State = IkeSaState.Established,
            CreatedAt = now,
            EstablishedAt = now,
            LastInbound = now,
            NonceInitiator = nonceI,
            NonceResponder = nonceR,
            PeerIdentity = old.PeerIdentity,
            Suite = suite,
        };
        successor.Keys = IkeSaKeys.Derive(suite, secret, nonceI, nonceR, initiatorSpi, responderSpi, old.Keys!.SkD);
        CryptographicOperations.ZeroMemory(secret);
        IkeSaKeying.CreateProtectors(successor, _random);
        successor.LowestNonce = Phase2Lifecycle.LowestNonce(nonceI, nonceR);
        successor.ForgetSetupMaterial();
        successor.RekeyAt = tunnel.Settings.Rekey ? now + IkeRekeyDelay(tunnel.Settings, isInitiator) : null;
        _sas.Add(successor);
        if (adopt)
        {
            Adopt(old, successor);
        }

        return successor;
    }

    /// <summary>The successor takes over the old IKE SA's children and queued work, and becomes the tunnel's IKE SA.</summary>
    private void Adopt(IkeSa old, IkeSa successor)
    {
        var tunnel = old.Tunnel;
        successor.Children.AddRange(old.Children);
        old.Children.Clear();
        tunnel.Current = successor;
        if (!tunnel.Retiring.Contains(old))
        {
            tunnel.Retiring.Add(old);
        }

        while (old.Window.Jobs.Count > 0)
        {
            successor.Window.Jobs.Enqueue(old.Window.Jobs.Dequeue());
        }

        // Nothing else would start the moved work until the new SA's first exchange ends.
        PumpQueue(successor);

        // A DELETE still unanswered on the old SA dies with it when the peer deletes that SA: send it again on the new one
        // (a peer that has the SA gone already answers a repeated DELETE with an empty one), or the child would stay forever.
        foreach (var child in successor.Children.Where(c => c.State == ChildSaState.Deleting).ToList())
        {
            child.State = ChildSaState.Rekeyed;
            DeleteChild(successor, child, notifyPeer: true, reason: "DELETE repeated after IKE rekey");
        }
    }
}
