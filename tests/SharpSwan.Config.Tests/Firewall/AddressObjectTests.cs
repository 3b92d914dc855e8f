namespace SharpSwan.Config.Tests.Firewall;

/// <summary>
/// Issue 16 item 5: firewall address <c>type iprange</c> (fqdn refused with a reason) and phase 2 named selectors
/// (<c>src-addr-type name</c> with <c>src-name</c>/<c>dst-name</c>, address groups allowed) in phase2 and phase2-interface.
/// </summary>
public sealed class AddressObjectTests
{
    private const string Objects = """
        config firewall address
            edit "hq-lan"
                set subnet 10.1.0.0 255.255.255.0
            next
            edit "hq-servers"
                set type iprange
                set start-ip 10.1.1.0
                set end-ip 10.1.1.99
            next
            edit "branch-a"
                set subnet 10.2.0.0 255.255.255.128
            next
            edit "branch-b"
                set subnet 10.2.0.128 255.255.255.128
            next
            edit "far"
                set subnet 10.9.0.0 255.255.255.0
            next
        end
        config firewall addrgrp
            edit "branch"
                set member "branch-a" "branch-b"
            next
            edit "scattered"
                set member "branch-a" "far"
            next
        end

        """;

    private static string Named(string table, string phase1Table, string src, string dst) => Objects + $$"""
        config vpn ipsec {{phase1Table}}
            edit "t"
                set interface "eth0"
                set ike-version 2
                set remote-gw 198.51.100.2
                set psksecret "named-selector-psk"
            next
        end
        config vpn ipsec {{table}}
            edit "t-p2"
                set phase1name "t"
                set src-addr-type name
                set dst-addr-type name
                set src-name "{{src}}"
                set dst-name "{{dst}}"
            next
        end

        """;

    [Fact]
    public void IpRangeAddress_IsItsStartToEnd_AndRoundTrips()
    {
        var config = ConfigText.ParseValid(Objects);
        var servers = config.FirewallAddresses.Single(a => a.Name == "hq-servers");
        Assert.Equal("10.1.1.0-10.1.1.99", servers.Range.ToString());
        Assert.Equal("10.1.1.0-10.1.1.99", Assert.Single(config.ResolveAddress("hq-servers")).ToString());

        var shown = ConfigurationWriter.Write(config, fullConfiguration: false);
        Assert.Contains("    edit \"hq-servers\"\n        set type iprange\n        set start-ip 10.1.1.0\n        set end-ip 10.1.1.99\n", shown, StringComparison.Ordinal);
        foreach (var full in new[] { false, true })
        {
            Assert.Equal(config, ConfigText.ParseValid(ConfigurationWriter.Write(config, full)));
        }
    }

    [Theory]
    [InlineData("set type iprange\n        set start-ip 10.1.1.9\n        set end-ip 10.1.1.1", "end-ip")]
    [InlineData("set type iprange\n        set start-ip 10.1.1.9", "end-ip")]
    [InlineData("set start-ip 10.1.1.9", "start-ip")]
    [InlineData("set type iprange\n        set start-ip 10.1.1.1\n        set end-ip 10.1.1.9\n        set subnet 10.1.1.0 255.255.255.0", "subnet")]
    [InlineData("set type fqdn", "type")]
    public void MalformedOrUnsupportedAddresses_AreRefused(string lines, string field)
    {
        var error = ConfigText.SingleError($"config firewall address\n    edit \"x\"\n        {lines}\n    next\nend\n");
        Assert.Contains(field, error.Detail + error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fqdn_IsRefusedSayingWhy()
    {
        var error = ConfigText.SingleError("config firewall address\n    edit \"x\"\n        set type fqdn\n    next\nend\n");
        Assert.Contains("DNS", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("phase2", "phase1")]
    [InlineData("phase2-interface", "phase1-interface")]
    public void NamedSelectors_ResolveAddressesIpRangesAndAdjacentGroups(string table, string phase1Table)
    {
        var config = ConfigText.ParseValid(Named(table, phase1Table, "hq-servers", "branch"));
        var phase2 = Assert.Single(config.Phase2);
        Assert.Equal("10.1.1.0-10.1.1.99", phase2.Source.ToString());
        Assert.Equal("10.2.0.0-10.2.0.255", phase2.Destination.ToString());
        Assert.Equal(("hq-servers", "branch"), (phase2.SourceName, phase2.DestinationName));

        var shown = ConfigurationWriter.Write(config, fullConfiguration: false);
        Assert.Contains("        set src-addr-type name\n        set src-name \"hq-servers\"\n", shown, StringComparison.Ordinal);
        foreach (var full in new[] { false, true })
        {
            Assert.Equal(config, ConfigText.ParseValid(ConfigurationWriter.Write(config, full)));
        }
    }

    [Fact]
    public void ANamedSelector_OfScatteredAddresses_IsRefused()
    {
        var error = ConfigText.SingleError(Named("phase2", "phase1", "hq-lan", "scattered"));
        Assert.Contains("not one contiguous range", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ANamedSelector_OfAnUnknownName_IsEntryNotFound()
    {
        var error = ConfigText.SingleError(Named("phase2-interface", "phase1-interface", "hq-lan", "nowhere"));
        Assert.Equal("entry not found in datasource", error.Message);
    }

    [Fact]
    public void AnIpRange_CannotBeASplitInclude()
    {
        var text = Objects + """
            config vpn ipsec phase1-interface
                edit "dial"
                    set type dynamic
                    set interface "eth0"
                    set ike-version 2
                    set psksecret "named-selector-psk"
                    set ipv4-split-include "hq-servers"
                next
            end
            """;
        var errors = ConfigurationLoader.Parse(text, "split.conf").Errors;
        Assert.Contains(errors, e => e.Detail.Contains("is an iprange", StringComparison.Ordinal));
    }
}
