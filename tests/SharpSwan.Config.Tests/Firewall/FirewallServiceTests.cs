namespace SharpSwan.Config.Tests.Firewall;

/// <summary>
/// Issue 11 item 5 / issue 12: <c>config firewall service custom</c> and a policy's <c>service</c>: protocols and port ranges
/// that are honoured, predefined services, and refusals with reasons.
/// </summary>
public sealed class FirewallServiceTests
{
    private static string WithService(string service, params string[] policyOverrides) =>
        "config firewall service custom\n" + service + "end\n"
        + PolicyConfigText.WithPolicy(PolicyConfigText.AcceptLines(policyOverrides));

    private const string Https = """
            edit "web"
                set tcp-portrange 443 8000-8080:1024-65535
                set udp-portrange 443
                set comment "web and quic"
            next

        """;

    [Fact]
    public void CustomService_PortRangesBecomeRanges_AndThePolicyNamesIt()
    {
        var config = ConfigText.ParseValid(WithService(Https, "set service \"web\" \"ALL_TCP\""));

        var service = Assert.Single(config.FirewallServices);
        Assert.Equal(
            [new ServiceRange(6, 443, 443, 0, 65535), new ServiceRange(6, 8000, 8080, 1024, 65535), new ServiceRange(17, 443, 443, 0, 65535)],
            service.Ranges);
        Assert.Equal<string>(["web", "ALL_TCP"], Assert.Single(config.FirewallPolicies).Services);
        Assert.Equal([ServiceRange.AllOf(6)], config.ResolveService("ALL_TCP"));
        Assert.Equal([ServiceRange.All], config.ResolveService("ALL"));
        Assert.Empty(config.ResolveService("nonexistent"));
    }

    [Fact]
    public void IpAndIcmpServices_MatchWholeProtocols()
    {
        var config = ConfigText.ParseValid(WithService("""
                edit "gre"
                    set protocol IP
                    set protocol-number 47
                next
                edit "icmp"
                    set protocol ICMP
                next

            """, "set service \"gre\" \"icmp\""));
        Assert.Equal([ServiceRange.AllOf(47)], config.ResolveService("gre"));
        Assert.Equal([ServiceRange.AllOf(1)], config.ResolveService("icmp"));
    }

    [Fact]
    public void Services_RoundTripThroughShowAndFullConfiguration()
    {
        var config = ConfigText.ParseValid(WithService(Https, "set service \"web\""));
        foreach (var full in new[] { false, true })
        {
            Assert.Equal(config, ConfigText.ParseValid(ConfigurationWriter.Write(config, full)));
        }

        var shown = ConfigurationWriter.Write(config, fullConfiguration: false);
        Assert.Contains("config firewall service custom\n    edit \"web\"\n        set tcp-portrange 443 8000-8080:1024-65535\n        set udp-portrange 443\n", shown, StringComparison.Ordinal);
        Assert.Contains("        set service \"web\"\n", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownService_IsRefusedNamingThePredefinedOnes()
    {
        var error = ConfigText.SingleError(WithService(Https, "set service \"HTTP-ALT\""));
        Assert.Equal("entry not found in datasource", error.Message);
        Assert.Contains("\"HTTP-ALT\" is not a firewall service custom entry", error.Detail, StringComparison.Ordinal);
        Assert.Contains("ALL", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("set tcp-portrange 443-80", "tcp-portrange")]
    [InlineData("set tcp-portrange 70000", "tcp-portrange")]
    [InlineData("set tcp-portrange 1:2:3", "tcp-portrange")]
    [InlineData("set protocol HTTP", "protocol")]
    [InlineData("set icmptype 8", "icmptype")]
    [InlineData("set iprange 10.0.0.1-10.0.0.9", "iprange")]
    public void UnsupportedOrMalformedServiceSettings_AreRefusedWithAReason(string line, string field)
    {
        var error = ConfigText.SingleError(WithService($"    edit \"bad\"\n        set udp-portrange 53\n        {line}\n    next\n"));
        Assert.Contains(field, error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void APortService_WithoutPortRanges_MustSetOne()
    {
        var error = ConfigText.SingleError(WithService("    edit \"empty\"\n        set comment \"nothing\"\n    next\n"));
        Assert.Equal("Attribute 'tcp-portrange' MUST be set.", error.Message);
    }

    [Fact]
    public void PortRanges_OnAnIpService_AreRefused()
    {
        var error = ConfigText.SingleError(WithService("    edit \"mixed\"\n        set protocol IP\n        set tcp-portrange 22\n    next\n"));
        Assert.Contains("port ranges need protocol TCP/UDP/SCTP", error.Detail, StringComparison.Ordinal);
    }
}
