using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Keys;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Our quick mode with PFS, message 2 arrived and checked: only the PFS secret is computed here, with the key exchange of
/// our message 1. Message 3 and the child SA follow on the engine thread (<see cref="QuickModeInitiator.CompleteAnswer"/>);
/// our message 1 stays outstanding meanwhile.
/// </summary>
internal sealed class QuickModeInitiatorComputation(IkeSa sa, KeyExchange ours, byte[] peerPublicValue, QuickModeState quick, ChildSuite suite, uint peerSpi, byte[] nextIv, byte[] datagram)
    : KeyExchangeComputation(sa, ours, peerPublicValue)
{
    public QuickModeState Quick { get; } = quick;

    public ChildSuite Suite { get; } = suite;

    public uint PeerSpi { get; } = peerSpi;

    /// <summary>The CBC state after message 2, which message 3 continues.</summary>
    public byte[] NextIv { get; } = nextIv;

    /// <summary>Message 2 as received: message 3 is kept under it.</summary>
    public byte[] Datagram { get; } = datagram;
}
