using System.Net;

namespace SharpSwan.Ike.Engine;

/// <summary>A datagram for an IKE SA that came while the SA computed, kept as received to go through the receive path later.</summary>
internal readonly record struct HeldDatagram(IPEndPoint Local, IPEndPoint Remote, byte[] Bytes);
