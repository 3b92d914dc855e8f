using SharpSwan.Config;
using SharpSwan.Gateway.Policy;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Tests.Policy;

/// <summary>
/// `allowaccess` of a tunnel interface: the services it does not name are dropped on the tunnel's address, by rules the
/// kernel takes, and only while something is refused.
/// </summary>
public sealed class AccessTableTests
{
    private const string TunnelAddress = "169.254.10.2";

    private static GatewayConfiguration Configuration(string? allowaccess, string global = "")
    {
        var access = allowaccess is null ? "" : $"        set allowaccess {allowaccess}\n";
        var text = $$"""
            {{global}}config vpn ipsec phase1-interface
                edit "to-aws"
                    set ike-version 2
                    set interface "wan0"
                    set remote-gw 198.51.100.2
                    set psksecret "a-long-pre-shared-key-0123456789"
                    set proposal aes256gcm-prfsha384
                    set dhgrp 20
                next
            end
            config system interface
                edit "to-aws"
                    set type tunnel
                    set ip {{TunnelAddress}} 255.255.255.255
                    set remote-ip 169.254.10.1 255.255.255.252
            {{access}}    next
            end

            """;
        var parsed = ConfigurationLoader.Parse(text, "access.conf");
        Assert.True(parsed.IsValid, string.Join("\n", parsed.Errors));
        return parsed.Configuration!;
    }

    [Fact]
    public void What_allowaccess_does_not_name_is_dropped_on_the_tunnel_address()
    {
        var ruleset = AccessTable.Render(Configuration("ping ssh", "config system global\n    set admin-sport 8443\n    set admin-port 8080\nend\n"));
        Assert.NotNull(ruleset);
        Assert.Contains($"ip daddr {TunnelAddress} tcp dport {{ 23, 8080, 8443 }} counter drop", ruleset, StringComparison.Ordinal);
        Assert.Contains($"ip daddr {TunnelAddress} udp dport 161 counter drop", ruleset, StringComparison.Ordinal);
        Assert.DoesNotContain("icmp", ruleset, StringComparison.Ordinal);
        Assert.DoesNotContain(" 22,", ruleset, StringComparison.Ordinal);

        // No allowaccess: nothing is answered there (without a web GUI, https and http have no port to close).
        var none = AccessTable.Render(Configuration(null))!;
        Assert.Contains($"ip daddr {TunnelAddress} icmp type echo-request counter drop", none, StringComparison.Ordinal);
        Assert.Contains($"ip daddr {TunnelAddress} tcp dport {{ 22, 23 }} counter drop", none, StringComparison.Ordinal);

        // Everything allowed: no table at all.
        Assert.Null(AccessTable.Render(Configuration("ping https http ssh telnet snmp")));
    }

    [Fact]
    public void The_kernel_drops_a_refused_ping_to_the_tunnel_address_and_answers_once_allowaccess_names_it()
    {
        Assert.True(ProcessPrivileges.IsRoot, "root is required: the test creates a network namespace and TUN devices");
        using var lab = new PolicyNamespaceLab(SessionTableTests.Device);
        Assert.Null(lab.Exec("ip", ["addr", "add", TunnelAddress + "/32", "dev", SessionTableTests.Device.Device]));
        bool Answers() => lab.Exec("ping", ["-c", "1", "-W", "1", TunnelAddress]) is null;
        Assert.True(Answers(), "the tunnel address answers before any access rule");

        using (var table = new AccessTable(script => lab.Exec("nft", ["-f", "-"], script)))
        {
            table.Apply(Configuration("https"));
            Assert.NotNull(table.Ruleset);
            Assert.False(Answers(), "allowaccess without ping: the echo request is dropped");

            table.Apply(Configuration("ping https http ssh telnet snmp"));
            Assert.Null(table.Ruleset);
            Assert.Null(lab.Exec("nft", ["list", "table", "ip", AccessTable.TableName]) is null ? "the table is still there" : null);
            Assert.True(Answers(), "allowaccess ping: answered again");

            table.Apply(Configuration(null));
            Assert.False(Answers(), "no allowaccess: dropped");
        }

        // Disposed (the gateway stopped): the table is gone.
        Assert.NotNull(lab.Exec("nft", ["list", "table", "ip", AccessTable.TableName]));
        Assert.True(Answers(), "answered once the table is gone");
    }
}
