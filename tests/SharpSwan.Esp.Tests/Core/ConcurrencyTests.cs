using System.Buffers.Binary;
using System.Collections.Concurrent;
using SharpSwan.Crypto;
using SharpSwan.Esp.Core;

namespace SharpSwan.Esp.Tests.Core;

/// <summary>
/// The SA state that several data-plane workers share with a multi-queue TUN device: lanes sealing on one outbound SA at
/// once never repeat a sequence number or an IV and never pass the hard point, and inbound processing from two threads
/// delivers each sequence number once.
/// </summary>
public sealed class ConcurrencyTests
{
    private const int PerLane = 20_000;

    [Fact]
    public void Two_lanes_sealing_on_one_sa_at_once_never_share_a_sequence_number_or_an_iv()
    {
        using var rig = new CoreRig(lanes: 2);
        var (local, _) = rig.InstallPair(0x100);
        var sealedByLane = new List<byte[]>[2];
        RunTogether(2, lane =>
        {
            var mine = new List<byte[]>(PerLane);
            var packet = CoreRig.LocalToPeer((byte)lane);
            var esp = new byte[local.Outbound.GetEncapsulatedLength(packet.Length)];
            for (var i = 0; i < PerLane; i++)
            {
                Assert.True(PacketCore.Seal(local, packet, esp, out var written, lane));
                mine.Add(esp[..written]);
            }

            sealedByLane[lane] = mine;
        });

        var all = sealedByLane.SelectMany(list => list).ToList();
        var sequences = all.Select(esp => BinaryPrimitives.ReadUInt32BigEndian(esp.AsSpan(4))).ToList();
        var ivs = all.Select(esp => BinaryPrimitives.ReadUInt64BigEndian(esp.AsSpan(8))).ToHashSet();

        Assert.Equal(Enumerable.Range(1, 2 * PerLane).Select(n => (uint)n), sequences.Order());
        Assert.Equal(2 * PerLane, ivs.Count);
        Assert.Equal(2L * PerLane, local.Outbound.Packets);
        Assert.Equal((ulong)(2 * PerLane), local.Outbound.LastSequenceNumber);

        // Every packet opens at the peer (handed over in sequence order, as the window would see a reordering-free path).
        foreach (var esp in all.OrderBy(esp => BinaryPrimitives.ReadUInt32BigEndian(esp.AsSpan(4))))
        {
            Assert.Equal(InboundResult.Delivered, rig.Peer.Inbound(esp, CoreRig.Arrival, out _, out _, out _));
        }
    }

    [Fact]
    public void Racing_lanes_take_the_last_sequence_numbers_once_each_and_stop_at_the_hard_point()
    {
        const int Left = 1000;
        using var rig = new CoreRig(lanes: 2);
        var (local, _) = rig.InstallPair(0x200);
        local.Outbound.SetLastSentSequenceNumber(uint.MaxValue - Left);
        var taken = new ConcurrentBag<uint>();
        var refused = 0;
        RunTogether(2, lane =>
        {
            var packet = CoreRig.LocalToPeer();
            var esp = new byte[local.Outbound.GetEncapsulatedLength(packet.Length)];
            for (var i = 0; i < Left; i++)
            {
                if (PacketCore.Seal(local, packet, esp, out _, lane))
                {
                    taken.Add(BinaryPrimitives.ReadUInt32BigEndian(esp.AsSpan(4)));
                }
                else
                {
                    Interlocked.Increment(ref refused);
                }
            }
        });

        Assert.Equal(Enumerable.Range(0, Left).Select(n => uint.MaxValue - Left + 1 + (uint)n), taken.Order());
        Assert.Equal(Left, refused);
        Assert.Equal(Left, local.Outbound.SequenceExhaustedDrops);
    }

    [Fact]
    public void Inbound_from_two_threads_delivers_each_sequence_number_once()
    {
        const int Packets = 5000;
        using var rig = new CoreRig();
        var (_, peer) = rig.InstallPair(0x300);
        var sealedPackets = Enumerable.Range(0, Packets).Select(i => CoreRig.Seal(peer, CoreRig.PeerToLocal((byte)i))).ToArray();
        var deliveries = new int[Packets + 1];
        var replayed = 0;
        RunTogether(2, thread =>
        {
            foreach (var original in sealedPackets)
            {
                var esp = original.ToArray();
                var sequence = BinaryPrimitives.ReadUInt32BigEndian(esp.AsSpan(4));
                var result = rig.Local.Inbound(esp, CoreRig.Arrival, out _, out _, out _);
                if (result == InboundResult.Delivered)
                {
                    Interlocked.Increment(ref deliveries[sequence]);
                }
                else if (result == InboundResult.Replayed)
                {
                    Interlocked.Increment(ref replayed);
                }
            }
        });

        Assert.All(Enumerable.Range(1, Packets), sequence => Assert.Equal(1, deliveries[sequence]));
        Assert.Equal(Packets, replayed);
    }

    [Fact]
    public void A_core_refuses_lane_counts_it_cannot_keep_apart()
    {
        using var rig = new CoreRig();
        Assert.Throws<ArgumentOutOfRangeException>(() => new PacketCore(rig.Clock, null, outboundLanes: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PacketCore(rig.Clock, null, outboundLanes: EspSecurityAssociation.MaxLanes + 1));
        var (local, _) = rig.InstallPair(0x400);
        var packet = CoreRig.LocalToPeer();
        Assert.Throws<ArgumentOutOfRangeException>(() => PacketCore.Seal(local, packet, new byte[200], out _, lane: 1));
    }

    [Fact]
    public void A_lane_gets_its_cipher_context_from_its_first_packet_not_from_install()
    {
        using var rig = new CoreRig(lanes: 4);
        var (local, _) = rig.InstallPair(0x500);
        Assert.Equal(0, local.Outbound.LanesCreated);
        Assert.All(Enumerable.Range(0, 4), lane => Assert.Null(local.Outbound.PeekLane(lane)));

        var packet = CoreRig.LocalToPeer(7);
        var esp = new byte[local.Outbound.GetEncapsulatedLength(packet.Length)];
        Assert.True(PacketCore.Seal(local, packet, esp, out var written, lane: 2));
        Assert.True(PacketCore.Seal(local, packet, esp, out written, lane: 2));

        Assert.Equal(1, local.Outbound.LanesCreated);
        Assert.NotNull(local.Outbound.PeekLane(2));
        Assert.Null(local.Outbound.PeekLane(0));

        // The peer's inbound SA made its one context when this first packet arrived, not at install.
        var peer = rig.Peer.Find(0x501)!;
        Assert.Equal(0, peer.Inbound.LanesCreated);
        Assert.Equal(InboundResult.Delivered, rig.Peer.Inbound(esp.AsSpan(0, written), CoreRig.Arrival, out _, out _, out _));
        Assert.Equal(1, peer.Inbound.LanesCreated);
        Assert.Equal(0, local.Inbound.LanesCreated);
    }

    [Fact]
    public void An_inbound_packet_refused_before_decryption_makes_no_cipher_context()
    {
        var key = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
        using var sa = EspSecurityAssociation.CreateInbound(0x77, EspTransform.AesGcm128, key, [], true, 1024, new SeededRandomSource(3));
        var junk = new byte[80];
        BinaryPrimitives.WriteUInt32BigEndian(junk, 0x78);
        BinaryPrimitives.WriteUInt32BigEndian(junk.AsSpan(4), 1);
        Assert.Equal(EspResult.Malformed, sa.Decapsulate(junk, out _, out _, out _));
        Assert.Equal(0, sa.LanesCreated);

        // The right SPI: the ICV must be checked, so the context is made (and the forgery refused).
        BinaryPrimitives.WriteUInt32BigEndian(junk, 0x77);
        Assert.Equal(EspResult.AuthenticationFailed, sa.Decapsulate(junk, out _, out _, out _));
        Assert.Equal(1, sa.LanesCreated);
    }

    [Fact]
    public void Threads_racing_to_create_one_lane_all_get_the_one_context_that_won_and_the_others_are_freed()
    {
        const int Rounds = 200;
        const int Threads = 4;
        for (var round = 0; round < Rounds; round++)
        {
            using var sa = Outbound(lanes: 2, seed: round);
            var discarded = new ConcurrentBag<PacketProtector>();
            sa.LaneDiscarded = discarded.Add;
            var seen = new PacketProtector[Threads];
            RunTogether(Threads, thread => seen[thread] = sa.LaneProtector(1));

            var winner = sa.PeekLane(1);
            Assert.NotNull(winner);
            Assert.All(seen, protector => Assert.Same(winner, protector));
            Assert.Equal(1, sa.LanesCreated);
            Assert.Null(sa.PeekLane(0));
            Assert.InRange(discarded.Count, 0, Threads - 1);
            Assert.All(discarded, loser =>
            {
                Assert.NotSame(winner, loser);
                Assert.Throws<ObjectDisposedException>(() => loser.Seal(new byte[64], 8, 16));
            });
        }
    }

    [Fact]
    public void Lanes_created_late_and_in_any_order_keep_the_iv_range_and_start_of_their_lane_number()
    {
        const int Lanes = 4;
        using var inOrder = Outbound(Lanes, seed: 42);
        using var reversed = Outbound(Lanes, seed: 42);
        var packet = Packets.IPv4(80);
        var esp = new byte[inOrder.GetEncapsulatedLength(packet.Length)];

        // The same seed draws the same IV starts at install; the order the lanes are created in must not matter.
        var first = new ulong[Lanes];
        for (var lane = 0; lane < Lanes; lane++)
        {
            Assert.Equal(EspResult.Ok, inOrder.Encapsulate(packet, esp, out _, lane));
            first[lane] = BinaryPrimitives.ReadUInt64BigEndian(esp.AsSpan(8));
        }

        var ivs = new ConcurrentDictionary<ulong, int>();
        for (var lane = Lanes - 1; lane >= 0; lane--)
        {
            var mine = lane;
            RunTogether(1, _ =>
            {
                var buffer = new byte[esp.Length];
                for (var i = 0; i < 1000; i++)
                {
                    Assert.Equal(EspResult.Ok, reversed.Encapsulate(packet, buffer, out _, mine));
                    var iv = BinaryPrimitives.ReadUInt64BigEndian(buffer.AsSpan(8));
                    Assert.True(ivs.TryAdd(iv, mine), $"IV {iv:x16} of lane {mine} was already used by lane {ivs.GetValueOrDefault(iv)}");
                    if (i == 0)
                    {
                        Assert.Equal(first[mine], iv);
                    }
                }
            });
        }

        // Each lane's IVs lie in its own partition: the top byte is the lane number.
        Assert.All(ivs, entry => Assert.Equal((ulong)entry.Value, entry.Key >> 56));
        Assert.Equal(Lanes * 1000, ivs.Count);
    }

    [Fact]
    public void Disposing_an_sa_frees_the_lanes_that_sent_and_wipes_the_keys_of_those_that_never_did()
    {
        var sa = Outbound(lanes: 4, seed: 1);
        var packet = Packets.IPv4(60);
        var esp = new byte[sa.GetEncapsulatedLength(packet.Length)];
        Assert.Equal(EspResult.Ok, sa.Encapsulate(packet, esp, out _, lane: 1));
        var used = sa.PeekLane(1)!;
        Assert.False(sa.KeysWiped);

        sa.Dispose();

        Assert.True(sa.KeysWiped);
        Assert.All(Enumerable.Range(0, 4), lane => Assert.Null(sa.PeekLane(lane)));
        Assert.Throws<ObjectDisposedException>(() => used.Seal(new byte[64], 8, 16));
        Assert.Throws<ObjectDisposedException>(() => sa.Encapsulate(packet, esp, out _, lane: 3));
        Assert.Null(sa.PeekLane(3));
    }

    [Fact]
    public void A_lane_created_while_its_sa_is_disposed_is_freed_and_never_left_behind()
    {
        for (var round = 0; round < 200; round++)
        {
            var sa = Outbound(lanes: 2, seed: round);
            PacketProtector? created = null;
            RunTogether(2, thread =>
            {
                if (thread == 0)
                {
                    sa.Dispose();
                    return;
                }

                try
                {
                    created = sa.LaneProtector(1);
                }
                catch (ObjectDisposedException)
                {
                    // Dispose came first and the lane was taken back: the outcome checked below either way.
                }
            });

            Assert.Null(sa.PeekLane(1));
            Assert.True(sa.KeysWiped);
            if (created is not null)
            {
                Assert.Throws<ObjectDisposedException>(() => created.Seal(new byte[64], 8, 16));
            }
        }
    }

    /// <summary>An AES-128-GCM outbound SA with <paramref name="lanes"/> lanes whose IV starts come from <paramref name="seed"/>.</summary>
    private static EspSecurityAssociation Outbound(int lanes, int seed)
    {
        var key = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
        return EspSecurityAssociation.CreateOutbound(
            0x1234, EspTransform.AesGcm128, key, [], new SeededRandomSource(seed), lanes);
    }

    /// <summary>Runs <paramref name="body"/> on <paramref name="threads"/> threads released together; rethrows what any threw.</summary>
    private static void RunTogether(int threads, Action<int> body)
    {
        using var start = new Barrier(threads);
        var failures = new ConcurrentQueue<Exception>();
        var running = Enumerable.Range(0, threads).Select(index => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                body(index);
            }
            catch (Exception ex)
            {
                failures.Enqueue(ex);
            }
        })).ToList();
        running.ForEach(thread => thread.Start());
        running.ForEach(thread => thread.Join());
        Assert.Empty(failures);
    }
}
