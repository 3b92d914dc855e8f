namespace SharpSwan.Config.Tests;

/// <summary>Shared snippets and helpers for the configuration tests.</summary>
internal static class ConfigText
{
    /// <summary>The sample from the task brief: it must parse cleanly.</summary>
    public const string ReadmeSample = """
        config vpn ipsec phase1-interface
            edit "to-branch"
                set interface "eth0"
                set ike-version 2
                set remote-gw 198.51.100.2
                set proposal aes256gcm-prfsha384 aes128-sha256
                set dhgrp 20 19 14
                set psksecret "s3cret-psk"
                set localid "hq.example"
                set nattraversal enable
                set keylife 86400
                set dpd on-demand
            next
        end
        config vpn ipsec phase2-interface
            edit "to-branch-p2"
                set phase1name "to-branch"
                set proposal aes256gcm aes128-sha256
                set pfs enable
                set dhgrp 20
                set src-subnet 10.1.0.0 255.255.255.0
                set dst-subnet 10.2.0.0 255.255.255.0
                set keylifeseconds 43200
                set auto-negotiate disable
                set keepalive disable
            next
        end
        config router static
            edit 1
                set dst 10.2.0.0 255.255.255.0
                set device "to-branch"
            next
        end
        """;

    /// <summary>A minimal valid phase1-interface; lines 1-7.</summary>
    public const string MinimalPhase1 = """
        config vpn ipsec phase1-interface
            edit "p1"
                set interface "eth0"
                set ike-version 2
                set remote-gw 192.0.2.1
                set psksecret "minimal-psk"
            next
        end
        """;

    public static GatewayConfiguration ParseValid(string text)
    {
        var result = ConfigurationLoader.Parse(text, "test.conf");
        Assert.True(result.IsValid, "unexpected errors:\n" + string.Join("\n", result.Errors));
        Assert.Empty(result.Errors);
        return result.Configuration!;
    }

    public static ConfigError SingleError(string text)
    {
        var result = ConfigurationLoader.Parse(text, "hq.conf");
        Assert.False(result.IsValid);
        Assert.Null(result.Configuration);
        return Assert.Single(result.Errors);
    }

    /// <summary>A phase1-interface "p1" with one extra line; the extra line is line 7.</summary>
    public static string Phase1With(string extraSetting) => $"""
        config vpn ipsec phase1-interface
            edit "p1"
                set interface "eth0"
                set ike-version 2
                set remote-gw 192.0.2.1
                set psksecret "minimal-psk"
                {extraSetting}
            next
        end
        """;

    /// <summary><see cref="MinimalPhase1"/> plus a phase2-interface "p2" whose extra line is line 12.</summary>
    public static string Phase2With(string extraSetting) => MinimalPhase1 + "\n" + $"""
        config vpn ipsec phase2-interface
            edit "p2"
                set phase1name "p1"
                {extraSetting}
            next
        end
        """;
}
