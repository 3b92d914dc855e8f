using SharpSwan.Config;
using SharpSwan.Esp.Core;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Policy;

/// <summary>
/// The kernel side of firewall policies: one TUN device per policy-based phase 1 (a tunnel path of the data plane, so the
/// packet core and the phase 2 selectors work as for route-based tunnels), an <c>ip rule</c> and routing table per device
/// that steer marked traffic to it, and the nftables table that decides and marks (<see cref="NftRuleset"/>). Applied
/// again on every configuration change (the ruleset is replaced in one transaction); removed on dispose and on failure.
/// </summary>
public sealed class PolicyDataPath : IDisposable
{
    private readonly Dictionary<string, PolicyTunnelDevice> _devices = new(StringComparer.Ordinal);
    private readonly EspDataPlane _dataPlane;
    private readonly int _mtu;
    private bool _tableInstalled;

    public PolicyDataPath(EspDataPlane dataPlane, int mtu)
    {
        _dataPlane = dataPlane;
        _mtu = mtu;
    }

    /// <summary>The devices by policy-based phase 1 name (the applying thread's own view).</summary>
    public IReadOnlyDictionary<string, PolicyTunnelDevice> Devices => _devices;

    /// <summary>The devices as of the last change, for readers on other threads (the control socket's reports).</summary>
    public IReadOnlyDictionary<string, PolicyTunnelDevice> DevicesSnapshot { get; private set; } = new Dictionary<string, PolicyTunnelDevice>();

    /// <summary>The ruleset last applied (null when no table is installed).</summary>
    public string? Ruleset { get; private set; }

    /// <summary>
    /// Brings devices, rules and the nftables table in line with <paramref name="configuration"/> at once (the gateway's
    /// start). Throws <see cref="InvalidOperationException"/> when the kernel refuses; what was set up is then removed again.
    /// </summary>
    public void Apply(GatewayConfiguration configuration, TextWriter output)
    {
        Prepare(configuration, output);
        Commit(configuration);
    }

    /// <summary>
    /// The half of a live change the kernel may refuse, done before the engine takes the change: a device for each new
    /// policy-based phase 1, then the ruleset of <paramref name="configuration"/> (one nftables transaction). Refused, it
    /// is undone here (the new devices removed; the table, never replaced, stays as it was) and throws
    /// <see cref="InvalidOperationException"/> or <see cref="IOException"/>; the running tunnels are untouched either way.
    /// </summary>
    public void Prepare(GatewayConfiguration configuration, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var added = new List<string>();
        try
        {
            foreach (var phase1 in configuration.Phase1.Where(p => !p.IsInterfaceMode && !_devices.ContainsKey(p.Name)))
            {
                AddDevice(phase1, configuration, output);
                added.Add(phase1.Name);
            }

            // The devices of phase 1s that go are left out already: no policy of the new configuration names them.
            var kept = _devices.Values.Where(d => configuration.FindPhase1(d.Phase1) is { IsInterfaceMode: false }).ToDictionary(d => d.Phase1, StringComparer.Ordinal);
            ApplyRuleset(configuration, kept);
        }
        catch
        {
            RemoveDevices(added);
            throw;
        }
    }

    /// <summary>
    /// The half of a live change that cannot fail, after the engine took it: devices of policy-based phase 1s that went
    /// are removed, the ones that stay take their new phase 1 and phase 2 settings (SAs kept where nothing negotiated changed).
    /// </summary>
    public void Commit(GatewayConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var gone in _devices.Values.Where(d => configuration.FindPhase1(d.Phase1) is not { IsInterfaceMode: false }).ToList())
        {
            RemoveDevice(gone);
        }

        foreach (var phase1 in configuration.Phase1.Where(p => !p.IsInterfaceMode))
        {
            if (_dataPlane.FindTunnel(phase1.Name) is { } existing)
            {
                existing.Settings = phase1;
                existing.ChangePhase2(configuration.Phase2For(phase1.Name), phase1.Type != Phase1Type.Dynamic, p => NewPhase2(phase1, p));
                foreach (var path in existing.Phase2)
                {
                    path.NegotiateTimeoutSeconds = phase1.NegotiateTimeoutSeconds;
                }
            }
        }
    }

    public void Dispose()
    {
        RemoveTable();
        foreach (var device in _devices.Values.ToList())
        {
            RemoveDevice(device);
        }
    }

    private void RemoveDevices(IEnumerable<string> phase1Names)
    {
        foreach (var name in phase1Names)
        {
            if (_devices.TryGetValue(name, out var device))
            {
                RemoveDevice(device);
            }
        }
    }

    private void ApplyRuleset(GatewayConfiguration configuration, IReadOnlyDictionary<string, PolicyTunnelDevice> devices)
    {
        if (!configuration.HasPolicyTable)
        {
            RemoveTable();
            return;
        }

        var ruleset = NftRuleset.Render(configuration, devices);
        if (ExternalCommand.Run("nft", ["-f", "-"], ruleset) is { } error)
        {
            throw new InvalidOperationException($"firewall policies: nftables refused the ruleset: {error}");
        }

        _tableInstalled = true;
        Ruleset = ruleset;
    }

    private void RemoveTable()
    {
        if (_tableInstalled)
        {
            ExternalCommand.Run("nft", ["-f", "-"], NftRuleset.RenderRemoval());
            _tableInstalled = false;
            Ruleset = null;
        }
    }

    private void AddDevice(Phase1Settings phase1, GatewayConfiguration configuration, TextWriter output)
    {
        var index = Enumerable.Range(1, PolicyTunnelDevice.MaxIndex).FirstOrDefault(i => _devices.Values.All(d => d.Index != i));
        if (index == 0)
        {
            throw new InvalidOperationException($"phase1 {phase1.Name}: no policy tunnel device left ({PolicyTunnelDevice.MaxIndex} in use)");
        }

        var device = new PolicyTunnelDevice(phase1.Name, index);
        var tun = TunDevice.Create(device.Device);
        try
        {
            NetworkConfigurator.DisableIPv6(device.Device);
            NetworkConfigurator.SetMtu(device.Device, _mtu);
            NetworkConfigurator.SetLinkUp(device.Device);

            // Decrypted packets arrive on the device from addresses routed elsewhere; strict reverse-path filtering would drop them.
            File.WriteAllText($"/proc/sys/net/ipv4/conf/{device.Device}/rp_filter", "0");
            Require(ExternalCommand.Run("ip", ["route", "replace", "default", "dev", device.Device, "table", device.Table.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
            ExternalCommand.Run("ip", RuleArguments("del", device)); // a leftover of a gateway that crashed
            Require(ExternalCommand.Run("ip", RuleArguments("add", device)));
        }
        catch
        {
            tun.Dispose();
            throw;
        }

        _devices[phase1.Name] = device;
        DevicesSnapshot = new Dictionary<string, PolicyTunnelDevice>(_devices, StringComparer.Ordinal);
        _dataPlane.AddTunnel(new TunnelPath(phase1, tun, [.. configuration.Phase2For(phase1.Name).Select(p => NewPhase2(phase1, p))]));
        output.WriteLine($"ike 0:{phase1.Name}: policy-based tunnel device {device.Device} up (mark {device.MarkText}, table {device.Table})");
    }

    private void RemoveDevice(PolicyTunnelDevice device)
    {
        ExternalCommand.Run("ip", RuleArguments("del", device));
        _dataPlane.RemoveTunnel(device.Phase1);
        _devices.Remove(device.Phase1);
        DevicesSnapshot = new Dictionary<string, PolicyTunnelDevice>(_devices, StringComparer.Ordinal);
    }

    private static string[] RuleArguments(string verb, PolicyTunnelDevice device) =>
    [
        "rule", verb, "fwmark", $"{device.MarkText}/0xffffffff", "lookup", device.Table.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "priority", PolicyTunnelDevice.RulePriority.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ];

    private static Phase2Path NewPhase2(Phase1Settings phase1, Phase2Settings phase2) =>
        new(phase1.Name, phase2, phase1.NegotiateTimeoutSeconds, initiates: phase1.Type != Phase1Type.Dynamic);

    private static void Require(string? error)
    {
        if (error is not null)
        {
            throw new InvalidOperationException(error);
        }
    }
}
