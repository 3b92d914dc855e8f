using System.Net;

namespace SharpSwan.Gateway.Hosting;

/// <summary>One static route as the kernel holds it: FortiOS's <c>distance</c> becomes the route metric.</summary>
/// <param name="Gateway">Next hop; null routes straight through <paramref name="Device"/>.</param>
internal readonly record struct KernelRoute(IPAddress Destination, int Prefix, string Device, IPAddress? Gateway, int Metric);
