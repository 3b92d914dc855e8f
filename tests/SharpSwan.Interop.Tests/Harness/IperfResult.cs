namespace SharpSwan.Interop.Tests.Harness;

/// <summary>Outcome of one iperf3 client run; <see cref="Output"/> is kept for assertion messages.</summary>
public sealed record IperfResult(bool Completed, double ReceivedMbitsPerSecond, string Output);
