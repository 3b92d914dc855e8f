using System.Buffers.Binary;
using System.Net;
using BenchmarkDotNet.Attributes;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Platform;

namespace SharpSwan.Esp.Bench;

/// <summary>
/// Per-segment cost of turning the decrypted TCP segments of one receive batch into a coalesced TUN write: copied into
/// one frame (the copying path) or gathered where they lie (writev / IORING_OP_WRITEV), side by side in one run.
/// <c>Coalesce</c> joins and finishes the frame only; <c>CoalesceAndWrite</c> also writes it to a TUN device directly;
/// <c>CoalesceAndRingWrite</c> through the io_uring write ring. The segments (44 x 1448 bytes, one 64 KB super-packet)
/// lie in one pinned buffer, as in a receive batch. The TUN device is addressed 10.247.0.1/24 and the frames go to
/// 10.247.0.9, which the kernel drops at the forwarding check (forwarding off), after copying them in from user memory
/// either way. Needs root; run it in a scratch network namespace (bench/RESULTS.md has the command).
/// </summary>
[MemoryDiagnoser]
public class CoalescedWriteBenchmarks
{
    private const int Segments = 44;
    private const int PayloadSize = 1448;
    private const int HeadersLength = 52;

    private readonly byte[] _batch = GC.AllocateArray<byte>(Segments * (HeadersLength + PayloadSize + 32), pinned: true);
    private readonly int[] _offsets = new int[Segments];
    private TcpCoalescer _coalescer = null!;
    private TunDevice? _device;
    private TunWriteRing? _ring;

    /// <summary>True: gathered (scatter-gather) frames; false: the copying path.</summary>
    [Params(false, true)]
    public bool Gather { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _coalescer = new TcpCoalescer(Gather);
        var at = 0;
        var sequence = 1u;
        for (var i = 0; i < Segments; i++)
        {
            _offsets[i] = at;
            WriteSegment(_batch.AsSpan(at, HeadersLength + PayloadSize), sequence, i);
            sequence += PayloadSize;
            at += HeadersLength + PayloadSize + 32;
        }

        _device = TunDevice.Create("ssbench0");
        if (!_device.EnableOffloads())
        {
            throw new InvalidOperationException("the TUN device refused TSO");
        }

        NetworkConfigurator.DisableIPv6(_device.Name);
        NetworkConfigurator.AddAddress(_device.Name, IPAddress.Parse("10.247.0.1"), 24);
        NetworkConfigurator.SetLinkUp(_device.Name);
        _ring = TunWriteRing.TryCreate(64, 4096, out var reason) ?? throw new InvalidOperationException($"no io_uring: {reason}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ring?.Dispose();
        _device?.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Segments)]
    public int Coalesce()
    {
        Join();
        return Gather ? _coalescer.TakeGather().Length : _coalescer.TakeFrame().Length;
    }

    [Benchmark(OperationsPerInvoke = Segments)]
    public void CoalesceAndWrite()
    {
        Join();
        if (Gather)
        {
            _device!.WriteFrame(_coalescer.TakeGather());
        }
        else
        {
            _device!.WriteFrame(_coalescer.TakeFrame());
        }
    }

    [Benchmark(OperationsPerInvoke = Segments)]
    public void CoalesceAndRingWrite()
    {
        Join();
        if (Gather)
        {
            _ring!.TryQueue(_device!, _coalescer.TakeGather());
        }
        else
        {
            // A 64 KB frame does not fit a ring slot: the copying path writes it directly after what is queued.
            var frame = _coalescer.TakeFrame();
            if (!_ring!.TryQueue(_device!, frame, hasHeader: true))
            {
                _ring.Submit();
                _device!.WriteFrame(frame);
            }
        }

        _ring.Submit();
    }

    private void Join()
    {
        for (var i = 0; i < Segments; i++)
        {
            if (!_coalescer.TryAdd(_batch.AsSpan(_offsets[i], HeadersLength + PayloadSize)))
            {
                throw new InvalidOperationException("a segment did not join");
            }
        }
    }

    // IPv4 + TCP with a timestamp option (52 bytes of headers), ACK, checksums complete, as decrypted from ESP.
    private static void WriteSegment(Span<byte> packet, uint sequence, int index)
    {
        packet.Clear();
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet[4..], (ushort)(100 + index));
        packet[6] = 0x40;
        packet[8] = 64;
        packet[9] = 6;
        byte[] source = [10, 247, 1, 2];
        byte[] destination = [10, 247, 0, 9];
        source.CopyTo(packet[12..]);
        destination.CopyTo(packet[16..]);
        var tcp = packet[20..];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, 40000);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], 5201);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], 777);
        tcp[12] = 8 << 4;
        tcp[13] = 0x10;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 500);
        tcp[20] = 1;
        tcp[21] = 1;
        tcp[22] = 8;
        tcp[23] = 10;
        BinaryPrimitives.WriteUInt32BigEndian(tcp[24..], 7);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[28..], 9);
        for (var i = 32; i < tcp.Length; i++)
        {
            tcp[i] = (byte)(i * 7 + index);
        }

        BinaryPrimitives.WriteUInt16BigEndian(packet[10..], Checksum(packet[..20], 0));
        var pseudo = (uint)BinaryPrimitives.ReadUInt16BigEndian(packet[12..]) + BinaryPrimitives.ReadUInt16BigEndian(packet[14..]) +
            BinaryPrimitives.ReadUInt16BigEndian(packet[16..]) + BinaryPrimitives.ReadUInt16BigEndian(packet[18..]) + 6u + (uint)tcp.Length;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], Checksum(tcp, pseudo));
    }

    private static ushort Checksum(ReadOnlySpan<byte> data, uint sum)
    {
        for (var i = 0; i < data.Length; i += 2)
        {
            sum += (uint)(data[i] << 8) | (i + 1 < data.Length ? data[i + 1] : 0u);
        }

        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
