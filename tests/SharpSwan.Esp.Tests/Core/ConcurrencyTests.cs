using System.Buffers.Binary;
using System.Collections.Concurrent;
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
