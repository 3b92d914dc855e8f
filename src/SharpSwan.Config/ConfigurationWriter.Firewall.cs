using System.Collections.Immutable;

namespace SharpSwan.Config;

/// <summary>The writer's <c>config firewall addrgrp</c>, <c>service custom</c> and <c>policy</c> entries.</summary>
public static partial class ConfigurationWriter
{
    private sealed partial class Writer
    {
        public void FirewallAddressGroup(FirewallAddressGroup group)
        {
            Line(1, $"edit {Quote(group.Name)}");
            Names(2, "member", group.Members);
            Verbatim(2, group.OtherSettings);
        }

        public void UserPeer(UserPeer peer)
        {
            Line(1, $"edit {Quote(peer.Name)}");
            OptionalText(2, "ca", peer.Ca);
            OptionalText(2, "subject", peer.Subject);
            OptionalText(2, "cn", peer.Cn);
            Set(2, "cn-type", peer.CnType, peer.CnType == "string");
            Verbatim(2, peer.OtherSettings);
        }

        public void UserPeerGroup(UserPeerGroup group)
        {
            Line(1, $"edit {Quote(group.Name)}");
            Names(2, "member", group.Members);
            Verbatim(2, group.OtherSettings);
        }

        public void FirewallService(FirewallService service)
        {
            Line(1, $"edit {Quote(service.Name)}");
            Set(2, "protocol", service.ProtocolKind, service.ProtocolKind == FirewallServiceSchema.DefaultProtocol);
            Set(2, "protocol-number", Number(service.ProtocolNumber), service.ProtocolNumber == 0);
            foreach (var (field, protocol) in FirewallServiceSchema.PortFields)
            {
                var ranges = service.PortRanges.Where(r => r.Protocol == protocol).Select(FirewallServiceSchema.Format).ToList();
                if (ranges.Count > 0)
                {
                    Line(2, $"set {field} {string.Join(" ", ranges)}");
                }
            }

            Verbatim(2, service.OtherSettings);
        }

        public void FirewallSchedule(FirewallSchedule schedule)
        {
            Line(1, $"edit {Quote(schedule.Name)}");
            if (schedule.Recurring)
            {
                Line(2, $"set start {FirewallScheduleSchema.FormatTime(schedule.StartMinute)}");
                Line(2, $"set end {FirewallScheduleSchema.FormatTime(schedule.EndMinute)}");
                var days = schedule.Days.IsDefaultOrEmpty ? "none" : string.Join(" ", schedule.Days.Select(FirewallScheduleSchema.FormatDay));
                Line(2, $"set day {days}");
            }
            else
            {
                Line(2, $"set start {Quote(FirewallScheduleSchema.FormatMoment(schedule.OnceStart))}");
                Line(2, $"set end {Quote(FirewallScheduleSchema.FormatMoment(schedule.OnceEnd))}");
            }

            Verbatim(2, schedule.OtherSettings);
        }

        public void FirewallPolicy(FirewallPolicy policy)
        {
            var d = new FirewallPolicy { Id = policy.Id };
            Line(1, $"edit {Number(policy.Id)}");
            OptionalText(2, "name", policy.Name);
            Flag(2, "status", policy.Enabled, d.Enabled);
            Names(2, "srcintf", policy.SourceInterfaces);
            Names(2, "dstintf", policy.DestinationInterfaces);
            Names(2, "srcaddr", policy.SourceAddresses);
            Names(2, "dstaddr", policy.DestinationAddresses);
            Set(2, "action", Keywords.PolicyActions.Format(policy.Action), policy.Action == d.Action);
            Flag(2, "inbound", policy.Inbound, d.Inbound);
            Flag(2, "outbound", policy.Outbound, d.Outbound);
            OptionalText(2, "vpntunnel", policy.VpnTunnel);
            Names(2, "service", policy.Services);
            Line(2, $"set schedule {Quote(policy.Schedule)}");

            Verbatim(2, policy.OtherSettings);
        }

        /// <summary>A list of names, each quoted as FortiOS prints them; an empty list is unset.</summary>
        private void Names(int depth, string field, ImmutableArray<string> names)
        {
            if (!names.IsDefaultOrEmpty)
            {
                Line(depth, $"set {field} {string.Join(" ", names.Select(Quote))}");
            }
        }
    }
}
