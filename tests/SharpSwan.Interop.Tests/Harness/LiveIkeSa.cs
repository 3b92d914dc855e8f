using System.Net;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>One IKE SA as `diagnose vpn ike gateway list` shows it: endpoints, SPIs (hex), role and message IDs.</summary>
public sealed record LiveIkeSa(IPEndPoint Local, IPEndPoint Remote, string InitiatorSpi, string ResponderSpi, bool WeInitiated, uint SendId, uint ReceiveId);
