namespace SharpSwan.Config;

/// <summary>Checks of one firewall policy against the address objects and phase 1 entries it names.</summary>
internal static class FirewallPolicyValidator
{
    private static readonly string[] Required = ["srcintf", "dstintf", "srcaddr", "dstaddr", "schedule", "service"];

    public static void Validate(
        FirewallPolicyDraft draft,
        HashSet<string> addresses,
        HashSet<string> services,
        HashSet<string> schedules,
        IReadOnlyList<Phase1Draft> phase1,
        DiagnosticBag diagnostics)
    {
        var entry = draft.Entry;
        var policy = draft.Policy;
        var what = $"firewall policy {policy.Id}";
        foreach (var field in Required.Where(f => entry.Find(f) is null))
        {
            diagnostics.MustBeSet(field, entry.NameToken, $"{what} needs {field}");
        }

        foreach (var field in (string[])["srcaddr", "dstaddr"])
        {
            foreach (var token in entry.Find(field)?.Values ?? [])
            {
                if (!addresses.Contains(token.Text))
                {
                    diagnostics.EntryNotFound(field, token, $"{what}: \"{token.Text}\" is not a firewall address or addrgrp (the predefined \"all\" matches every address)");
                }
            }
        }

        foreach (var token in entry.Find("service")?.Values ?? [])
        {
            if (!services.Contains(token.Text))
            {
                diagnostics.EntryNotFound(
                    "service",
                    token,
                    $"{what}: \"{token.Text}\" is not a firewall service custom entry, and SharpSwan predefines only {string.Join(", ", FirewallService.Predefined.Keys)}");
            }
        }

        if (entry.Find("schedule") is { Values: [var schedule] } && !schedules.Contains(schedule.Text))
        {
            diagnostics.EntryNotFound(
                "schedule",
                schedule,
                $"{what}: schedule \"{schedule.Text}\" is not a firewall schedule recurring or onetime entry nor a predefined one (\"always\", \"none\"); schedule groups are not supported by SharpSwan");
        }

        foreach (var field in (string[])["srcintf", "dstintf"])
        {
            foreach (var token in entry.Find(field)?.Values ?? [])
            {
                if (phase1.FirstOrDefault(p => p.Settings.Name == token.Text) is { Settings.IsInterfaceMode: false })
                {
                    diagnostics.EntryNotFound(
                        field,
                        token,
                        $"{what}: \"{token.Text}\" is a policy-based phase1 (config vpn ipsec phase1), which has no interface; use action ipsec with set vpntunnel \"{token.Text}\"");
                }
            }
        }

        ValidateTunnel(draft, phase1, what, diagnostics);
    }

    private static void ValidateTunnel(FirewallPolicyDraft draft, IReadOnlyList<Phase1Draft> phase1, string what, DiagnosticBag diagnostics)
    {
        var entry = draft.Entry;
        var policy = draft.Policy;
        var setting = entry.Find("vpntunnel");
        if (policy.Action != PolicyAction.Ipsec)
        {
            if (setting is not null && policy.VpnTunnel is not null)
            {
                diagnostics.ValueParseError("vpntunnel", setting.Values[0], $"{what}: vpntunnel is only used with action ipsec (this policy's action is {Keywords.PolicyActions.Format(policy.Action)})");
            }

            return;
        }

        if (policy.VpnTunnel is not { } tunnel)
        {
            if (setting is null)
            {
                diagnostics.MustBeSet("vpntunnel", entry.NameToken, $"{what} has action ipsec and needs the policy-based phase1 it sends traffic through");
            }

            return;
        }

        var target = phase1.FirstOrDefault(p => p.Settings.Name == tunnel);
        if (target is null)
        {
            diagnostics.EntryNotFound("vpntunnel", setting!.Values[0], $"{what} refers to phase1 \"{tunnel}\", which does not exist (config vpn ipsec phase1)");
        }
        else if (target.Settings.IsInterfaceMode)
        {
            diagnostics.EntryNotFound(
                "vpntunnel",
                setting!.Values[0],
                $"{what}: \"{tunnel}\" is a phase1-interface (route-based) tunnel; vpntunnel takes a policy-based phase1, and a route-based tunnel is used as srcintf/dstintf with action accept");
        }
    }
}
