using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// The peer's quick mode with PFS, message 1 checked and a transform chosen: our DH value and the PFS secret. Message 2
/// is built, sent and kept once they are back, and the child installed on message 3 as without PFS
/// (<see cref="QuickModeResponder.CompleteFirst"/>).
/// </summary>
internal sealed class QuickModeResponderComputation(IkeSa sa, DiffieHellmanGroup group, byte[] privateKey, byte[] peerPublicValue, QuickModeState quick, ChildSuite suite, uint peerSpi, List<IsakmpPayload> answer, IsakmpHeader header, IsakmpMessage first, byte[] nextIv, byte[] datagram)
    : KeyExchangeComputation(sa, group, privateKey, peerPublicValue)
{
    public QuickModeState Quick { get; } = quick;

    public ChildSuite Suite { get; } = suite;

    public uint PeerSpi { get; } = peerSpi;

    /// <summary>Message 2 so far: the chosen transform and our nonce (our KE follows).</summary>
    public List<IsakmpPayload> Answer { get; } = answer;

    /// <summary>Message 1's header, which message 2 repeats.</summary>
    public IsakmpHeader Header { get; } = header;

    /// <summary>Message 1, decrypted: its proxy IDs are echoed.</summary>
    public IsakmpMessage First { get; } = first;

    /// <summary>The CBC state after message 1, which message 2 continues.</summary>
    public byte[] NextIv { get; } = nextIv;

    /// <summary>Message 1 as received: message 2 is kept under it.</summary>
    public byte[] Datagram { get; } = datagram;
}
