using System.Net;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Simulation.Tests.Support;

/// <summary>Records every IKE message put on the simulated wire, so tests can assert on retry timestamps and who initiated.</summary>
internal sealed class IkeWireTap
{
    private readonly Simulation _simulation;

    public IkeWireTap(Simulation simulation)
    {
        this._simulation = simulation;
        simulation.Network.DatagramSent += Capture;
    }

    public List<IkeWireMessage> Messages { get; } = [];

    /// <summary>IKE_SA_INIT requests sent by the gateway at <paramref name="from"/> (first sends and retransmissions).</summary>
    public IReadOnlyList<IkeWireMessage> InitRequestsFrom(IPAddress from) =>
        Messages.Where(m => m.Exchange == ExchangeType.IkeSaInit && !m.IsResponse && m.Source.Address.Equals(from)).ToList();

    public IReadOnlyList<IkeWireMessage> RequestsFrom(IPAddress from, ExchangeType exchange) =>
        Messages.Where(m => m.Exchange == exchange && !m.IsResponse && m.Source.Address.Equals(from)).ToList();

    /// <summary>The IKE header of a datagram (after the non-ESP marker on 4500); false for ESP and anything else.</summary>
    public static bool TryReadIke(SimulatedDatagram datagram, out IkeHeader header)
    {
        header = default;
        ReadOnlySpan<byte> payload = datagram.Payload;
        if (datagram.IsRawEsp)
        {
            return false;
        }

        if (datagram.Destination.Port == 4500)
        {
            if (payload.Length < 4 || payload[0] != 0 || payload[1] != 0 || payload[2] != 0 || payload[3] != 0)
            {
                return false; // ESP in UDP
            }

            payload = payload[4..];
        }

        return IkeHeader.TryRead(payload, out header);
    }

    private void Capture(SimulatedDatagram datagram)
    {
        if (TryReadIke(datagram, out var header))
        {
            Messages.Add(new IkeWireMessage(_simulation.Now, datagram.Source, datagram.Destination, header.Exchange, header.IsResponse, header.MessageId, header.InitiatorSpi));
        }
    }
}
