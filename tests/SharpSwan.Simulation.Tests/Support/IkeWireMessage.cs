using System.Net;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Simulation.Tests.Support;

/// <summary>One IKE message seen on the simulated wire (header fields only: the rest is encrypted).</summary>
internal sealed record IkeWireMessage(DateTimeOffset Time, IPEndPoint Source, IPEndPoint Destination, ExchangeType Exchange, bool IsResponse, uint MessageId, ulong InitiatorSpi);
