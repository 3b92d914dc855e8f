using System.Net;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Hosting;

/// <summary>One static route as the kernel holds it (see <see cref="StaticRoutePlan"/> for how the metric is chosen).</summary>
/// <param name="Device">Outgoing interface; empty when the kernel picks the one that reaches <paramref name="Gateway"/>, or for a blackhole.</param>
/// <param name="Gateway">Next hop; null routes straight through <paramref name="Device"/>.</param>
/// <param name="Blackhole">A blackhole route: matching traffic is dropped.</param>
internal readonly record struct KernelRoute(IPAddress Destination, int Prefix, string Device, IPAddress? Gateway, int Metric, bool Blackhole = false)
{
    /// <summary>Adds (or replaces) the route in the main table.</summary>
    public void Install()
    {
        if (Blackhole)
        {
            NetworkConfigurator.AddBlackholeRoute(Destination, Prefix, Metric);
        }
        else
        {
            NetworkConfigurator.AddRoute(Destination, Prefix, Device.Length == 0 ? null : Device, Gateway, Metric);
        }
    }

    /// <summary>Deletes this route, matched by its next hop and metric so another route to the destination stays.</summary>
    public void Remove()
    {
        if (Blackhole)
        {
            NetworkConfigurator.DeleteBlackholeRoute(Destination, Prefix, Metric);
        }
        else
        {
            NetworkConfigurator.DeleteRoute(Destination, Prefix, Device.Length == 0 ? null : Device, Gateway, Metric);
        }
    }

    /// <summary>As <c>ip route</c> would show it, e.g. "blackhole 10.9.0.0/16 metric 10".</summary>
    public override string ToString() =>
        (Blackhole ? "blackhole " : "") + $"{Destination}/{Prefix}" + (Gateway is null ? "" : $" via {Gateway}")
        + (Device.Length == 0 ? "" : $" dev {Device}") + $" metric {Metric}";
}
