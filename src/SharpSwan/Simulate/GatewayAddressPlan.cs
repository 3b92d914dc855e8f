using System.Net;
using SharpSwan.Config;

namespace SharpSwan.Simulate;

/// <summary>
/// Gives each simulated gateway its one IPv4 address. In order of precedence: a `gateway NAME address IP` script line;
/// the `local-gw` of one of its phase 1s; what the other configurations' `remote-gw` point at (an address some other
/// gateway points at and this one does not point at itself; when several remain, the one whose pointing phase 1 carries
/// phase 2 selectors that mirror this gateway's); and for a gateway nobody points at (a dial-up client of a `type dynamic`
/// hub) a free address from 203.0.113.0/24. `interface` names are not used: a simulated gateway has one address.
/// </summary>
public static class GatewayAddressPlan
{
    public static IReadOnlyDictionary<string, (IPAddress Address, string Reason)> Resolve(
        IReadOnlyList<(string Name, GatewayConfiguration Configuration)> gateways,
        IReadOnlyDictionary<string, IPAddress> explicitAddresses,
        out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        ArgumentNullException.ThrowIfNull(explicitAddresses);
        var plan = new Dictionary<string, (IPAddress Address, string Reason)>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (name, address) in explicitAddresses)
        {
            plan[name] = (address, "script");
        }

        foreach (var (name, configuration) in gateways.Where(g => !plan.ContainsKey(g.Name)))
        {
            if (configuration.Phase1.FirstOrDefault(p => !p.LocalGateway.Equals(IPAddress.Any)) is { } withLocal)
            {
                plan[name] = (withLocal.LocalGateway, $"local-gw of phase1 {withLocal.Name}");
            }
        }

        // Infer from remote-gw until nothing changes: each assignment removes a candidate from the others.
        var progress = true;
        while (progress)
        {
            progress = false;
            foreach (var (name, configuration) in gateways.Where(g => !plan.ContainsKey(g.Name)))
            {
                var candidates = Candidates(name, configuration, gateways, plan);
                if (candidates.Count > 1)
                {
                    candidates = candidates.Where(c => Mirrors(configuration, gateways.Where(g => g.Name != name), c.Address)).ToList();
                }

                if (candidates.Count == 1)
                {
                    plan[name] = (candidates[0].Address, $"remote-gw of {candidates[0].PointedBy}");
                    progress = true;
                }
            }
        }

        var nextFree = 1;
        foreach (var (name, configuration) in gateways.Where(g => !plan.ContainsKey(g.Name)))
        {
            var candidates = Candidates(name, configuration, gateways, plan);
            if (candidates.Count > 1)
            {
                problems.Add($"cannot tell which address gateway {name} has (it could be {string.Join(" or ", candidates.Select(c => c.Address))}): add 'gateway {name} address IP' to the script");
                continue;
            }

            IPAddress free;
            do
            {
                free = IPAddress.Parse($"203.0.113.{nextFree++}");
            }
            while (plan.Values.Any(p => p.Address.Equals(free)));

            plan[name] = (free, "nobody points at it: a free test address (dial-up client?)");
        }

        foreach (var clash in plan.GroupBy(p => p.Value.Address).Where(g => g.Count() > 1))
        {
            problems.Add($"gateways {string.Join(" and ", clash.Select(c => c.Key))} would share the address {clash.Key}: set one with 'gateway NAME address IP'");
        }

        errors = problems;
        return plan;
    }

    private static List<(IPAddress Address, string PointedBy)> Candidates(
        string name,
        GatewayConfiguration configuration,
        IReadOnlyList<(string Name, GatewayConfiguration Configuration)> gateways,
        Dictionary<string, (IPAddress Address, string Reason)> plan)
    {
        var own = configuration.Phase1.Select(p => p.RemoteGateway).ToHashSet();
        return gateways
            .Where(g => g.Name != name)
            .SelectMany(g => g.Configuration.Phase1
                .Where(p => p.Type != Phase1Type.Dynamic && !p.RemoteGateway.Equals(IPAddress.Any))
                .Select(p => (Address: p.RemoteGateway, PointedBy: $"{g.Name}'s phase1 {p.Name}")))
            .Where(c => !own.Contains(c.Address) && !plan.Values.Any(p => p.Address.Equals(c.Address)))
            .GroupBy(c => c.Address)
            .Select(g => g.First())
            .ToList();
    }

    /// <summary>Some other gateway's phase 1 toward <paramref name="address"/> has a phase 2 whose destination is one of our sources.</summary>
    private static bool Mirrors(GatewayConfiguration configuration, IEnumerable<(string Name, GatewayConfiguration Configuration)> others, IPAddress address)
    {
        var ourSources = configuration.Phase2.Select(p => p.Source).ToHashSet();
        return others.Any(o => o.Configuration.Phase1
            .Where(p => p.RemoteGateway.Equals(address))
            .Any(p => o.Configuration.Phase2For(p.Name).Any(p2 => ourSources.Contains(p2.Destination))));
    }
}
