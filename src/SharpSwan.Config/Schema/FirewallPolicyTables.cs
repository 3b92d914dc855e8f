using System.Collections.Immutable;
using System.Globalization;

namespace SharpSwan.Config;

/// <summary>
/// <c>config firewall addrgrp</c> and <c>config firewall policy</c>, built and checked against the addresses and
/// phase 1 entries they name, with FortiOS's reference errors.
/// </summary>
internal static class FirewallPolicyTables
{
    /// <summary>FortiOS's predefined address that matches every IPv4 address.</summary>
    public const string AllAddress = "all";

    public static (ImmutableArray<FirewallAddressGroup> Groups, ImmutableArray<FirewallService> Services, ImmutableArray<FirewallSchedule> Schedules, ImmutableArray<FirewallPolicy> Policies) Build(
        RawDocument document, IReadOnlyList<Phase1Draft> phase1, DiagnosticBag diagnostics)
    {
        var addressNames = (document.Find(SupportedTables.FirewallAddresses)?.Entries ?? []).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var groups = BuildGroups(document, diagnostics).ToList();
        var known = new HashSet<string>(addressNames, StringComparer.Ordinal) { AllAddress };
        foreach (var (group, entry) in groups)
        {
            if (addressNames.Contains(group.Name))
            {
                diagnostics.ValueParseError("name", entry.NameToken, $"\"{group.Name}\" is already a firewall address; address and addrgrp names must be unique");
            }

            known.Add(group.Name);
        }

        var groupMembers = groups.ToDictionary(g => g.Group.Name, g => g.Group.Members, StringComparer.Ordinal);
        foreach (var (group, entry) in groups)
        {
            ValidateGroup(group, entry, known, groupMembers, diagnostics);
        }

        var services = FirewallServiceTable.Build(document, diagnostics);
        var serviceNames = services.Select(s => s.Name).Concat(FirewallService.Predefined.Keys).ToHashSet(StringComparer.Ordinal);
        var schedules = FirewallScheduleTable.Build(document, diagnostics);
        var scheduleNames = schedules.Select(s => s.Name).Concat(FirewallSchedule.Predefined.Keys).ToHashSet(StringComparer.Ordinal);
        var policies = new List<FirewallPolicy>();
        foreach (var entry in document.Find(SupportedTables.FirewallPolicies)?.Entries ?? [])
        {
            var draft = new FirewallPolicyDraft(entry, long.Parse(entry.Name, CultureInfo.InvariantCulture));
            var other = FirewallPolicySchema.Fields.Apply(draft, () => new FirewallPolicyDraft(entry, draft.Policy.Id), entry, diagnostics);
            draft.Policy = draft.Policy with { OtherSettings = other };
            FirewallPolicyValidator.Validate(draft, known, serviceNames, scheduleNames, phase1, diagnostics);
            policies.Add(draft.Policy);
        }

        return ([.. groups.Select(g => g.Group)], services, schedules, [.. policies]);
    }

    private static IEnumerable<(FirewallAddressGroup Group, RawEntry Entry)> BuildGroups(RawDocument document, DiagnosticBag diagnostics)
    {
        foreach (var entry in document.Find(SupportedTables.FirewallAddressGroups)?.Entries ?? [])
        {
            var draft = new FirewallAddressGroupDraft(entry);
            var other = FirewallAddressGroupSchema.Fields.Apply(draft, () => new FirewallAddressGroupDraft(entry), entry, diagnostics);
            yield return (new FirewallAddressGroup(entry.Name, draft.Members) { OtherSettings = other, SourceLine = entry.NameToken.Line }, entry);
        }
    }

    private static void ValidateGroup(
        FirewallAddressGroup group,
        RawEntry entry,
        HashSet<string> known,
        Dictionary<string, ImmutableArray<string>> groupMembers,
        DiagnosticBag diagnostics)
    {
        if (entry.Find("member") is not { } member)
        {
            diagnostics.MustBeSet("member", entry.NameToken, $"firewall addrgrp \"{group.Name}\" needs at least one member");
            return;
        }

        foreach (var (name, token) in group.Members.Zip(member.Values))
        {
            if (!known.Contains(name))
            {
                diagnostics.EntryNotFound("member", token, $"firewall addrgrp \"{group.Name}\" refers to \"{name}\", which is not a firewall address or addrgrp");
            }
            else if (Reaches(name, group.Name, groupMembers, []))
            {
                diagnostics.ValueParseError("member", token, $"firewall addrgrp \"{group.Name}\" would contain itself through \"{name}\"");
            }
        }
    }

    /// <summary>True when group <paramref name="from"/> is, or contains (at any depth), <paramref name="target"/>.</summary>
    private static bool Reaches(string from, string target, Dictionary<string, ImmutableArray<string>> groupMembers, HashSet<string> seen)
    {
        if (string.Equals(from, target, StringComparison.Ordinal))
        {
            return true;
        }

        if (!seen.Add(from) || !groupMembers.TryGetValue(from, out var members))
        {
            return false;
        }

        return members.Any(m => Reaches(m, target, groupMembers, seen));
    }
}
