using System.Buffers.Binary;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Tests.Support;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// RFC 7383 in the engine: the FRAGMENTATION_SUPPORTED exchange in IKE_SA_INIT, protected messages over fragmentation-mtu
/// sent as fragments, and reassembly that keeps only verified fragments of the expected message, in any order, within caps.
/// </summary>
public sealed class FragmentationTests
{
    private const int Mtu = 500;

    /// <summary>Ten ESP proposals make IKE_AUTH's SA payload alone larger than a 500-octet datagram.</summary>
    private const string ManyProposals = "set proposal aes128-sha1 aes128-sha256 aes128-sha384 aes128-sha512 aes256-sha1 aes256-sha256 aes256-sha384 aes256-sha512 aes128gcm aes256gcm";

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    private static EngineLink Link(string aExtra = "", string bExtra = "") =>
        new(phase1Extra: "set fragmentation-mtu 500", phase2Extra: ManyProposals, phase1ExtraB: bExtra, phase1ExtraA: aExtra);

    [Fact]
    public void A_large_ike_auth_goes_out_in_fragments_within_the_mtu_and_establishes()
    {
        using var link = Link();
        var sizes = new List<int>();
        link.Intercept = (_, bytes) =>
        {
            sizes.Add(bytes.Length);
            return false;
        };

        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(Settle);

        var sa = link.A.Engine.Tunnels.Single().Current!;
        Assert.Equal(IkeSaState.Established, sa.State);
        Assert.True(sa.FragmentationAgreed);
        Assert.True(link.B.Engine.Tunnels.Single().Current!.FragmentationAgreed);
        var sent = Assert.Single(link.A.Of<IkeMessageFragmented>());
        Assert.Equal((ExchangeType.IkeAuth, false), (sent.Exchange, sent.IsResponse));
        Assert.InRange(sent.LargestDatagram, 1, Mtu);
        var got = Assert.Single(link.B.Of<IkeMessageReassembled>());
        Assert.Equal(sent.Fragments, got.Fragments);
        Assert.Equal(1, link.A.Engine.Statistics.MessagesFragmented);
        Assert.Equal(1, link.B.Engine.Statistics.MessagesReassembled);

        // Every protected datagram fits: IKE message + UDP 8 + IPv4 20 (no NAT here, so no non-ESP marker).
        Assert.All(sizes.Skip(2), size => Assert.InRange(size + 28, 1, Mtu));
    }

    [Theory]
    [InlineData("set fragmentation disable", "")]
    [InlineData("", "set fragmentation disable")]
    public void Fragmentation_disable_on_either_end_means_no_agreement_and_no_fragments(string aExtra, string bExtra)
    {
        using var link = Link(aExtra, bExtra);
        var initRequests = new List<byte[]>();
        link.Intercept = (to, bytes) =>
        {
            if (to == link.B && bytes.Length > 17 && bytes[18] == (byte)ExchangeType.IkeSaInit)
            {
                initRequests.Add(bytes);
            }

            return false;
        };

        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(Settle);

        var sa = link.A.Engine.Tunnels.Single().Current!;
        Assert.Equal(IkeSaState.Established, sa.State);
        Assert.False(sa.FragmentationAgreed);
        Assert.Empty(link.A.Of<IkeMessageFragmented>());
        Assert.Empty(link.B.Of<IkeMessageFragmented>());
        var init = IkeMessageCodec.Decode(Assert.Single(initRequests), null);
        Assert.Equal(aExtra.Length == 0, init.Message!.FindNotify(NotifyType.Ikev2FragmentationSupported) is not null);
    }

    [Fact]
    public void Fragments_reassemble_in_reverse_order_and_duplicates_are_dropped()
    {
        using var link = Link();
        var fragments = HoldFragmentsToB(link);
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(100));
        Assert.True(fragments.Count >= 2, $"{fragments.Count} fragments");
        link.Intercept = null;

        var sa = link.A.Engine.Tunnels.Single().Current!;
        foreach (var fragment in Enumerable.Reverse(fragments))
        {
            Deliver(link, sa, fragment);
            Deliver(link, sa, fragment);
        }

        link.Run(Settle);

        Assert.Equal(IkeSaState.Established, sa.State);
        Assert.Equal(fragments.Count, Assert.Single(link.B.Of<IkeMessageReassembled>()).Fragments);
        Assert.Equal(fragments.Count - 1, link.B.Of<IkeFragmentDropped>().Count(d => d.Reason == IkeFragmentDropReason.Duplicate));

        // The second copy of fragment 1 came after the request was answered: the answer is resent, the request not redone.
        Assert.Single(link.B.Of<ResponseRetransmitted>());
        Assert.Single(link.B.Of<ChildSaInstalled>());
    }

    [Fact]
    public void A_forged_fragment_is_dropped_and_counted_and_the_real_ones_still_complete()
    {
        using var link = Link();
        var fragments = HoldFragmentsToB(link);
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(100));
        link.Intercept = null;
        var sa = link.A.Engine.Tunnels.Single().Current!;

        // A changed octet in the ciphertext, and a well-formed fragment sealed with keys that are not the SA's.
        var tampered = (byte[])fragments[1].Clone();
        tampered[^20] ^= 0x40;
        using var stranger = PacketProtector.Create(EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None, new byte[36], [], new SeededRandomSource(9));
        var header = IkeHeader.TryRead(fragments[0], out var h) ? h : default;
        var foreign = Seal(stranger, header, 1, 200, PayloadType.IdInitiator, new byte[100]);
        Deliver(link, sa, tampered);
        Deliver(link, sa, foreign);
        foreach (var fragment in fragments)
        {
            Deliver(link, sa, fragment);
        }

        link.Run(Settle);

        Assert.Equal(IkeSaState.Established, sa.State);
        Assert.Equal(2, link.B.Engine.Statistics.IntegrityFailed);
        Assert.Equal(2, link.B.Of<UnprotectedMessageDropped>().Count(d => d.Reason == UnprotectedMessageReason.NotVerified));
        Assert.Equal(2, link.B.Of<IkeFragmentDropped>().Count(d => d.Reason == IkeFragmentDropReason.NotVerified));
        Assert.Single(link.B.Of<IkeMessageReassembled>());
    }

    [Fact]
    public void A_retransmission_resends_every_fragment()
    {
        using var link = Link();
        var toB = new List<byte[]>();
        link.Intercept = (to, bytes) =>
        {
            if (to == link.B && bytes[16] == (byte)PayloadType.EncryptedFragment)
            {
                toB.Add(bytes);
                return true;
            }

            return false;
        };

        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(100));
        var perAttempt = toB.Count;
        Assert.True(perAttempt >= 2);
        link.Run(TimeSpan.FromSeconds(3));
        Assert.Contains(link.A.Of<RequestRetransmitted>(), r => r.Attempt == 1);
        Assert.Equal(0, toB.Count % perAttempt);
        Assert.True(toB.Count >= 2 * perAttempt);
        var numbers = toB.Select(f => BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(IkeHeader.Size + 4))).ToList();
        Assert.Equal(numbers.Take(perAttempt), numbers.Skip(perAttempt).Take(perAttempt));

        link.Intercept = null;
        link.Run(TimeSpan.FromSeconds(10));
        Assert.Equal(IkeSaState.Established, link.A.Engine.Tunnels.Single().Current!.State);
    }

    [Fact]
    public void Verified_fragments_over_the_caps_are_dropped_and_hold_no_memory()
    {
        using var link = Link();
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(Settle);
        var sa = link.A.Engine.Tunnels.Single().Current!;
        Assert.Equal(IkeSaState.Established, sa.State);
        var peer = link.B.Engine.Tunnels.Single().Current!;
        var id = peer.NextExpectedRequestId;
        var header = new IkeHeader(sa.InitiatorSpi, sa.ResponderSpi, PayloadType.EncryptedFragment, ExchangeType.Informational, IkeFlags.Initiator, id, 0);

        // More fragments than SharpSwan reassembles: refused at once.
        Deliver(link, sa, Seal(sa.Outbound!, header, 1, IkeFragmentCodec.MaxFragments + 1, PayloadType.Notify, new byte[16]));
        Assert.Equal(IkeFragmentDropReason.TooManyFragments, link.B.Of<IkeFragmentDropped>().Last().Reason);

        // More octets than one message may hold: the partial message is discarded and its memory given back.
        for (ushort n = 1; n <= 70; n++)
        {
            Deliver(link, sa, Seal(sa.Outbound!, header, n, 100, PayloadType.Notify, new byte[1200]));
        }

        Assert.Contains(link.B.Of<IkeFragmentDropped>(), d => d.Reason == IkeFragmentDropReason.TooLarge);
        Assert.InRange(link.B.Engine.FragmentOctetsHeld, 0, FragmentReassembly.MaxMessageBytes);

        // A partial message that never completes is dropped as stale; nothing stays held.
        Deliver(link, sa, Seal(sa.Outbound!, header with { MessageId = id }, 1, 3, PayloadType.Notify, new byte[300]));
        Assert.True(link.B.Engine.FragmentOctetsHeld > 0);
        link.Run(TimeSpan.FromSeconds(40));
        Assert.Contains(link.B.Of<IkeFragmentDropped>(), d => d.Reason == IkeFragmentDropReason.Stale);
        Assert.Equal(0, link.B.Engine.FragmentOctetsHeld);

        // A fragment for a message ID the window does not expect is never kept.
        Deliver(link, sa, Seal(sa.Outbound!, header with { MessageId = id + 5 }, 1, 2, PayloadType.Notify, new byte[300]));
        Assert.Equal(IkeFragmentDropReason.Unexpected, link.B.Of<IkeFragmentDropped>().Last().Reason);
        Assert.Equal(0, link.B.Engine.FragmentOctetsHeld);
        Assert.Equal(IkeSaState.Established, peer.State);
        Assert.Equal(id, peer.NextExpectedRequestId);
    }

    [Fact]
    public void A_malformed_but_verified_fragment_is_an_error_counted_not_an_exception()
    {
        using var link = Link();
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(Settle);
        var sa = link.A.Engine.Tunnels.Single().Current!;
        var peer = link.B.Engine.Tunnels.Single().Current!;
        var header = new IkeHeader(sa.InitiatorSpi, sa.ResponderSpi, PayloadType.EncryptedFragment, ExchangeType.Informational, IkeFlags.Initiator, peer.NextExpectedRequestId, 0);
        var before = link.B.Engine.Statistics.FragmentsDropped;

        Deliver(link, sa, Seal(sa.Outbound!, header, 1, 1, PayloadType.Notify, new byte[8], padLength: 250));

        Assert.Equal(before + 1, link.B.Engine.Statistics.FragmentsDropped);
        Assert.Equal(IkeFragmentDropReason.Malformed, link.B.Of<IkeFragmentDropped>().Last().Reason);
        Assert.Equal(IkeSaState.Established, peer.State);
    }

    /// <summary>Holds back every fragment A sends to B (IKE_SA_INIT and other whole messages pass).</summary>
    private static List<byte[]> HoldFragmentsToB(EngineLink link)
    {
        var held = new List<byte[]>();
        link.Intercept = (to, bytes) =>
        {
            if (to == link.B && bytes[16] == (byte)PayloadType.EncryptedFragment)
            {
                held.Add(bytes);
                return true;
            }

            return false;
        };
        return held;
    }

    private static void Deliver(EngineLink link, IkeSa aSide, byte[] datagram) =>
        link.B.Engine.ReceiveDatagram(aSide.Remote, aSide.Local, datagram);

    /// <summary>One fragment sealed by hand, so a test can choose its numbering, size and pad length.</summary>
    private static byte[] Seal(PacketProtector protector, IkeHeader header, ushort number, int total, PayloadType first, byte[] content, int? padLength = null)
    {
        int block = Math.Max(1, protector.BlockSize);
        int padding = (block - ((content.Length + 1) % block)) % block;
        int payload = content.Length + padding + 1;
        var message = new byte[IkeHeader.Size + 8 + protector.IvSize + payload + protector.IcvSize];
        (header with { NextPayload = PayloadType.EncryptedFragment, Length = (uint)message.Length }).Write(message);
        message[IkeHeader.Size] = number == 1 ? (byte)first : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(IkeHeader.Size + 2), (ushort)(message.Length - IkeHeader.Size));
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(IkeHeader.Size + 4), number);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(IkeHeader.Size + 6), (ushort)total);
        int start = IkeHeader.Size + 8 + protector.IvSize;
        content.CopyTo(message, start);
        message[start + payload - 1] = (byte)(padLength ?? padding);
        protector.Seal(message, IkeHeader.Size + 8, payload);
        return message;
    }
}
