using SharpSwan.Config;

namespace SharpSwan.Tests.Simulate;

/// <summary>FortiOS configurations for simulate tests: one phase 1 "vpn" and phase 2 "vpn-p2" per gateway.</summary>
internal static class SimulateFixtures
{
    public static string Config(string remoteGateway, string source, string destination, string phase2Extra = "", string phase1Extra = "", string type = "static") => $$"""
        config vpn ipsec phase1-interface
            edit "vpn"
                set type {{type}}
                set interface "port1"
                set ike-version 2
                {{(type == "dynamic" ? string.Empty : $"set remote-gw {remoteGateway}")}}
                set proposal aes128gcm-prfsha256
                set dhgrp 19
                set psksecret "simulate-test-psk"
                {{phase1Extra}}
            next
        end
        config vpn ipsec phase2-interface
            edit "vpn-p2"
                set phase1name "vpn"
                set proposal aes128gcm
                set pfs disable
                set src-subnet {{source}} 255.255.255.0
                set dst-subnet {{destination}} 255.255.255.0
                {{phase2Extra}}
            next
        end

        """;

    public static GatewayConfiguration Load(string text)
    {
        var result = ConfigurationLoader.Parse(text, "fixture.conf");
        Assert.True(result.Configuration is not null, string.Join(Environment.NewLine, result.Errors));
        return result.Configuration;
    }
}
