using System.Net;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// The datagrams an IKE SA holds while it waits for its public-key work, in arrival order, taken through the receive path
/// once the work is back (as strongSwan queues a message for an SA that is checked out). Small and bounded in count and
/// octets: nothing in it is verified yet, so it must not grow with what anyone sends. An SA has one only while it holds
/// something.
/// </summary>
internal sealed class HeldDatagrams
{
    /// <summary>More than a peer's window of requests plus their repeats and an answer to ours; the rest it retransmits.</summary>
    public const int MaxCount = 8;

    /// <summary>Room for a fragmented or certificate-carrying message or two, not for a flood.</summary>
    public const int MaxOctets = 32 * 1024;

    private readonly Queue<HeldDatagram> _datagrams = new(MaxCount);

    public int Count => _datagrams.Count;

    public int Octets { get; private set; }

    /// <summary>Keeps a copy of <paramref name="bytes"/>; false (nothing kept) when that would pass either cap.</summary>
    public bool TryAdd(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> bytes)
    {
        if (_datagrams.Count >= MaxCount || Octets + bytes.Length > MaxOctets)
        {
            return false;
        }

        _datagrams.Enqueue(new HeldDatagram(local, remote, bytes.ToArray()));
        Octets += bytes.Length;
        return true;
    }

    public bool TryTake(out HeldDatagram datagram)
    {
        if (!_datagrams.TryDequeue(out datagram))
        {
            return false;
        }

        Octets -= datagram.Bytes.Length;
        return true;
    }
}
