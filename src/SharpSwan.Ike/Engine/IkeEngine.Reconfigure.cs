using SharpSwan.Config;
using SharpSwan.Ike.Logging;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// Live configuration changes applied as a diff: tunnels and phase 2s whose settings are unchanged keep their SAs, and so
/// do phase 2s whose change no SA depends on (keepalive, auto-negotiate, trigger-queue, inbound-dscp-copy, comments);
/// other changed ones are torn down (DELETE sent) and come back by auto-negotiate or on demand; removed ones are deleted.
/// </summary>
public sealed partial class IkeEngine
{
    /// <summary>Switches to a new configuration; returns the names of the phase 1s whose SAs were touched.</summary>
    public IReadOnlyList<string> ApplyConfiguration(GatewayConfiguration configuration)
    {
        var touched = new List<string>();
        Configuration = configuration;
        LoadCredentials(configuration);
        TouchAll();
        foreach (var tunnel in _tunnels.Values.ToList())
        {
            if (!_tunnels.ContainsKey(tunnel.Name))
            {
                // A dial-up instance already released along with its template.
                continue;
            }

            // A dial-up instance follows its template's configuration entry.
            var configName = tunnel.Template?.Name ?? tunnel.Name;
            var updated = configuration.FindPhase1(configName);
            if (updated is null)
            {
                _log.Tunnel(IkeLogLevel.Event, tunnel.Name, "removed from the configuration: deleting its SAs");
                DropTunnelSas(tunnel, "configuration removed");
                Forget(tunnel);
                touched.Add(tunnel.Name);
                continue;
            }

            var newPhase2 = configuration.Phase2For(configName).ToList();
            if (!updated.Equals(tunnel.Settings) && tunnel.IsDialupInstance)
            {
                _log.Tunnel(IkeLogLevel.Event, tunnel.Name, "dial-up phase1 settings changed: deleting this instance; the peer reconnects");
                DropTunnelSas(tunnel, "configuration changed");
                ReleaseInstanceIfUnused(tunnel);
                touched.Add(tunnel.Name);
                continue;
            }

            if (!updated.Equals(tunnel.Settings))
            {
                _log.Tunnel(IkeLogLevel.Event, tunnel.Name, "phase1 settings changed: renegotiating");
                DropTunnelSas(tunnel, "configuration changed");
                tunnel.Settings = updated;
                tunnel.Phase2 = newPhase2;
                tunnel.LocalAddress = _options.LocalAddressResolver(updated);
                ScheduleAutoNegotiate(tunnel);
                touched.Add(tunnel.Name);
                continue;
            }

            var changedPhase2 = ApplyPhase2Changes(tunnel, newPhase2);

            if (changedPhase2)
            {
                ScheduleAutoNegotiate(tunnel);
                touched.Add(tunnel.Name);
            }
        }

        // A tunnel that no firewall policy uses any more loses its SAs (FortiOS negotiates none for it).
        foreach (var tunnel in _tunnels.Values.Where(t => !PolicyAllows(t) && (t.Current is not null || t.Retiring.Count > 0)).ToList())
        {
            _log.Tunnel(IkeLogLevel.Event, tunnel.Name, "no firewall policy refers to it any more: deleting its SAs");
            DropTunnelSas(tunnel, "no policy configured");
            touched.Add(tunnel.Name);
        }

        foreach (var phase1 in configuration.Phase1.Where(p => !_tunnels.ContainsKey(p.Name)))
        {
            AddTunnel(phase1);
            ScheduleAutoNegotiate(_tunnels[phase1.Name]);
            _log.Tunnel(IkeLogLevel.Event, phase1.Name, "added to the configuration");
            touched.Add(phase1.Name);
        }

        // Settings (remote gateways, types) may have changed in place.
        _configuredIndex = null;
        return touched;
    }

    /// <summary>
    /// The phase 2 part of a configuration change on a tunnel whose phase 1 is unchanged: SAs of changed or removed phase 2s
    /// are deleted (DELETE sent). True when any phase 2 changed, was removed or was added.
    /// </summary>
    private bool ApplyPhase2Changes(TunnelRuntime tunnel, List<Phase2Settings> newPhase2)
    {
        var changedPhase2 = false;
        foreach (var old in tunnel.Phase2)
        {
            var replacement = newPhase2.FirstOrDefault(p => p.Name == old.Name);
            if (replacement is not null && replacement.Equals(old))
            {
                continue;
            }

            if (replacement is not null && old.SameNegotiatedSettings(replacement))
            {
                // Its SAs serve the new settings as well: they stay, and decide by them from now on (at soft expiry, on
                // going down). Auto-negotiate switched on brings up a missing SA (ScheduleAutoNegotiate); switched off,
                // the 5-second retry stops.
                changedPhase2 = true;
                _log.Tunnel(IkeLogLevel.Event, tunnel.Name, $"phase2 {old.Name} changed in settings no SA depends on: its SAs stay");
                foreach (var child in _sas.Of(tunnel).SelectMany(sa => sa.Children).Where(c => c.Phase2Name == old.Name))
                {
                    child.Settings = child.Settings.WithUnnegotiatedSettingsOf(replacement);
                }

                if (!replacement.AutoNegotiate)
                {
                    tunnel.NextAutoAttempt.Remove(old.Name);
                }

                continue;
            }

            changedPhase2 = true;
            _log.Tunnel(IkeLogLevel.Event, tunnel.Name, $"phase2 {old.Name} {(replacement is null ? "removed" : "changed")}: deleting its SAs");
            if (tunnel.Current is { } sa)
            {
                foreach (var child in sa.Children.Where(c => c.Phase2Name == old.Name).ToList())
                {
                    DeleteChild(sa, child, notifyPeer: true, reason: "configuration changed");
                }
            }

            tunnel.Negotiating.Remove(old.Name);
            tunnel.NextAutoAttempt.Remove(old.Name);
        }

        changedPhase2 |= newPhase2.Any(p => tunnel.Phase2.All(o => o.Name != p.Name));
        tunnel.Phase2 = newPhase2;
        return changedPhase2;
    }

    /// <summary>
    /// FortiOS negotiates no IPsec SA for a tunnel that no firewall policy refers to ("no policy configured"); without a
    /// policy table every tunnel may be negotiated. A dial-up instance follows its template.
    /// </summary>
    private bool PolicyAllows(TunnelRuntime tunnel) => Configuration.IsReferencedByPolicy(tunnel.Template?.Name ?? tunnel.Name);

    private void ScheduleAutoNegotiate(TunnelRuntime tunnel)
    {
        var now = Now;
        foreach (var phase2 in tunnel.Phase2.Where(p => p.AutoNegotiate && !HasUsableChild(tunnel, p.Name)))
        {
            tunnel.NextAutoAttempt[phase2.Name] = now;
        }
    }

    private void DropTunnelSas(TunnelRuntime tunnel, string reason)
    {
        if (tunnel.Current is { } sa)
        {
            DeleteIkeSa(sa, notifyPeer: true, reason);
        }

        foreach (var retiring in tunnel.Retiring.ToList())
        {
            RemoveIkeSa(retiring, reason);
        }

        foreach (var stray in _sas.Of(tunnel).ToList())
        {
            RemoveIkeSa(stray, reason);
        }

        tunnel.Negotiating.Clear();
        tunnel.NextAutoAttempt.Clear();
    }
}
