namespace SharpSwan.Platform;

/// <summary>
/// One IPv4 entry of the kernel's connection tracking table, by its original direction (FortiOS: a session's source and
/// destination). <see cref="HasPorts"/> is false for protocols without ports (ICMP, GRE...), whose ports read 0.
/// </summary>
/// <param name="Source">Source address, host byte order.</param>
/// <param name="Destination">Destination address, host byte order.</param>
/// <param name="Identity">The entry's tuple and id attributes as the kernel sent them: what deletes exactly this entry.</param>
public sealed record ConnectionEntry(byte Protocol, uint Source, uint Destination, ushort SourcePort, ushort DestinationPort, bool HasPorts, byte[] Identity);
