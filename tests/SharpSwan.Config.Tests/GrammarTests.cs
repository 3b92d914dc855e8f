namespace SharpSwan.Config.Tests;

public sealed class GrammarTests
{
    [Fact]
    public void CommentsAndBlankLines_AreIgnored()
    {
        var config = ConfigText.ParseValid("#config-version=FGT60F-7.2.8\n#conf_file_ver=1\n\n   # indented comment\n" + ConfigText.MinimalPhase1);
        Assert.Equal(6, config.Phase1[0].SourceLine);
    }

    [Fact]
    public void HashInsideALine_IsPartOfTheValue()
    {
        var config = ConfigText.ParseValid(ConfigText.Phase1With("set comments not#a#comment"));
        Assert.Equal("not#a#comment", config.Phase1[0].Comments);
    }

    [Theory]
    [InlineData("set comments \"two words\"", "two words")]
    [InlineData("set comments 'single quoted'", "single quoted")]
    [InlineData("set comments two\\ words", "two words")]
    [InlineData("set comments \"say \\\"hi\\\"\"", "say \"hi\"")]
    [InlineData("set comments 'it\\'s'", "it's")]
    [InlineData("set comments \"back\\\\slash\"", "back\\slash")]
    [InlineData("set comments \"it's\"", "it's")]
    [InlineData("set comments ab\"c d\"ef", "abc def")]
    public void QuotesAndEscapes_Resolve(string line, string expected)
    {
        Assert.Equal(expected, ConfigText.ParseValid(ConfigText.Phase1With(line)).Phase1[0].Comments);
    }

    [Fact]
    public void BackslashAtEndOfLine_ContinuesTheCommand()
    {
        var config = ConfigText.ParseValid(ConfigText.Phase1With("set proposal aes128-sha256 \\\n            aes256gcm-prfsha384"));
        Assert.Equal(["aes128-sha256", "aes256gcm-prfsha384"], config.Phase1[0].Proposals.Select(p => p.Name));
    }

    [Fact]
    public void CrLfLineEndings_AreAccepted()
    {
        var config = ConfigText.ParseValid(ConfigText.ReadmeSample.Replace("\n", "\r\n", StringComparison.Ordinal));
        Assert.Equal("to-branch", config.Phase1[0].Name);
        Assert.Equal("eth0", config.Phase1[0].Interface);
    }

    [Fact]
    public void SecondEditOfTheSameName_OpensTheExistingEntry()
    {
        var config = ConfigText.ParseValid(ConfigText.MinimalPhase1 + "\n" + """
            config vpn ipsec phase1-interface
                edit "p1"
                    set keylife 3600
                next
            end
            """);
        var p1 = Assert.Single(config.Phase1);
        Assert.Equal(3600, p1.KeyLifeSeconds);
        Assert.Equal("eth0", p1.Interface);
        Assert.Equal(2, p1.SourceLine);
    }

    [Fact]
    public void Append_AddsToAList()
    {
        var config = ConfigText.ParseValid(ConfigText.Phase1With("set dhgrp 19\n        append dhgrp 20"));
        Assert.Equal([Crypto.DiffieHellmanGroup.Ecp256, Crypto.DiffieHellmanGroup.Ecp384], config.Phase1[0].DhGroups.ToArray());
    }

    [Fact]
    public void Abort_DiscardsTheEditSession()
    {
        var config = ConfigText.ParseValid(ConfigText.MinimalPhase1 + "\n" + """
            config vpn ipsec phase1-interface
                edit "p1"
                    set keylife 3600
                abort
                edit "ghost"
                    set keylife 3600
                abort
            end
            """);
        var p1 = Assert.Single(config.Phase1);
        Assert.Equal(86400, p1.KeyLifeSeconds);
    }

    [Fact]
    public void DeleteAndPurge_RemoveEntries()
    {
        var twoRoutes = """
            config router static
                edit 1
                    set device "eth0"
                next
                edit 2
                    set device "eth1"
                next
            end
            """;
        var deleted = ConfigText.ParseValid(twoRoutes + "\nconfig router static\n    delete 1\nend\n");
        Assert.Equal([2], deleted.StaticRoutes.Select(r => r.Id));

        var purged = ConfigText.ParseValid(twoRoutes + "\nconfig router static\n    purge\nend\n");
        Assert.Empty(purged.StaticRoutes);
    }

    [Fact]
    public void EditZero_TakesTheNextFreeRouteId()
    {
        var config = ConfigText.ParseValid("""
            config router static
                edit 5
                    set device "eth0"
                next
                edit 0
                    set device "eth1"
                next
            end
            """);
        Assert.Equal([5, 6], config.StaticRoutes.Select(r => r.Id));
    }

    [Fact]
    public void NonNumericRouteId_IsValueParseError()
    {
        var error = ConfigText.SingleError("config router static\n    edit first\n        set device \"eth0\"\n    next\nend\n");
        Assert.Equal(2, error.Line);
        Assert.Equal("value parse error before 'first'", error.Message);
    }

    [Fact]
    public void EmptyNestedTable_IsAcceptedAndANonEmptyOneIsRefused()
    {
        ConfigText.ParseValid(ConfigText.Phase1With("config ipv4-exclude-range\n        end"));

        var error = ConfigText.SingleError(ConfigText.Phase1With(
            "config ipv4-exclude-range\n            edit 1\n                set start-ip 10.0.0.1\n            next\n        end"));
        Assert.Equal(7, error.Line);
        Assert.Equal("command parse error before 'config'", error.Message);
    }

    [Fact]
    public void SystemGlobal_IsASingleObject()
    {
        var config = ConfigText.ParseValid("""
            config system global
                set hostname "hq-gw"
                set admin-sport 8443
                set timezone 04
                set admintimeout 30
            end
            """);
        Assert.Equal("hq-gw", config.Global.Hostname);
        Assert.Equal(8443, config.Global.AdminSport);
        Assert.Null(config.Global.AdminPort);
        Assert.Equal(["timezone", "admintimeout"], config.Global.OtherSettings.Select(s => s.Name));
        Assert.Equal(["04"], config.Global.OtherSettings[0].Values.ToArray());
        Assert.Equal(4, config.Global.OtherSettings[0].Line);
    }

    [Fact]
    public void EditInsideSystemGlobal_IsRefused()
    {
        var error = ConfigText.SingleError("config system global\n    edit 1\nend\n");
        Assert.Equal("command parse error before 'edit'", error.Message);
    }

    [Fact]
    public void KnownFortiOsPhase1Settings_AreKeptVerbatim()
    {
        var config = ConfigText.ParseValid(ConfigText.Phase1With("set client-resume-interval 1800\n        set ipv6-split-exclude \"cert a\" cert-b\n        set npu-offload disable"));
        var other = config.Phase1[0].OtherSettings;
        Assert.Equal(["client-resume-interval", "ipv6-split-exclude", "npu-offload"], other.Select(s => s.Name));
        Assert.Equal(["cert a", "cert-b"], other[1].Values.ToArray());
        Assert.Equal(8, other[1].Line);
    }

    [Fact]
    public void KeptSettings_AreStillValueChecked()
    {
        var error = ConfigText.SingleError(ConfigText.Phase1With("set fragmentation-mtu 100"));
        Assert.Equal("value parse error before '100'", error.Message);
        Assert.Equal("fragmentation-mtu must be 500-16000", error.Reason);
    }

    [Fact]
    public void KeptSettingThatWouldChangeBehaviour_IsUnsupported()
    {
        var error = ConfigText.SingleError(ConfigText.Phase1With("set transport tcp"));
        Assert.Equal("value parse error before 'tcp'", error.Message);
        Assert.Contains("unsupported", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void PolicyModeTables_ParseWithTheirOwnFields()
    {
        var config = ConfigText.ParseValid("""
            config vpn ipsec phase1
                edit "pol"
                    set interface "eth0"
                    set ike-version 2
                    set remote-gw 192.0.2.9
                    set psksecret "policy-psk"
                next
            end
            config vpn ipsec phase2
                edit "pol-p2"
                    set phase1name "pol"
                    set selector-match auto
                    set src-subnet 10.1.0.0 255.255.0.0
                next
            end
            """);
        Assert.False(config.Phase1[0].IsInterfaceMode);
        Assert.False(config.Phase2[0].IsInterfaceMode);
        Assert.Equal("selector-match", config.Phase2[0].OtherSettings[0].Name);
        Assert.Same(config.Phase1[0], config.FindPhase1("pol"));
    }

    [Fact]
    public void SamePhase1NameInBothModes_IsRejected()
    {
        var policy = ConfigText.MinimalPhase1.Replace("phase1-interface", "phase1", StringComparison.Ordinal);
        var error = ConfigText.SingleError(ConfigText.MinimalPhase1 + "\n" + policy);
        Assert.Equal(10, error.Line);
        Assert.Contains("already a phase1-interface", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void StaticRouteFields_Parse()
    {
        var config = ConfigText.ParseValid("""
            config router static
                edit 3
                    set status disable
                    set dst 172.16.5.9/16
                    set gateway 192.0.2.254
                    set distance 200
                    set device "port1"
                    set comment "backup path"
                next
            end
            """);
        var route = config.StaticRoutes[0];
        Assert.False(route.Enabled);
        Assert.Equal(System.Net.IPAddress.Parse("172.16.0.0"), route.Destination);
        Assert.Equal(16, route.PrefixLength);
        Assert.Equal(System.Net.IPAddress.Parse("192.0.2.254"), route.Gateway);
        Assert.Equal(200, route.Distance);
        Assert.Equal("port1", route.Device);
        Assert.Equal("172.16.0.0-172.16.255.255", route.DestinationRange.ToString());
        Assert.Equal(["backup path"], route.OtherSettings[0].Values.ToArray());
    }

    [Fact]
    public void RouteWithoutDevice_IsMissingAttribute()
    {
        var error = ConfigText.SingleError("config router static\n    edit 1\n        set dst 10.0.0.0/8\n    next\nend\n");
        Assert.Equal("Attribute 'device' MUST be set.", error.Message);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void EditZeroWhenTheLargestIdIsInUse_IsAnErrorNotAnException()
    {
        var result = ConfigurationLoader.Parse(
            "config router static\n    edit 2147483647\n        set device \"a\"\n    next\n    edit 0\n        set device \"b\"\n    next\nend\n",
            "hq.conf");
        var error = Assert.Single(result.Errors);
        Assert.Equal(5, error.Line);
        Assert.Equal("value parse error before '0'", error.Message);
    }

    [Fact]
    public void EveryTruncationOfAValidFile_GivesAResultAndNeverThrows()
    {
        var text = ConfigText.ReadmeSample + "\n" + """
            config system global
                set hostname 'gw'
            end
            config vpn ipsec phase2-interface
                edit "x"
                    set phase1name "to-branch"
                    set src-addr-type range
                    set src-start-ip 10.0.0.9
                    set src-end-ip 10.0.0.1
                next
            end
            """;
        var lineCount = text.Split('\n').Length;
        var sawErrors = 0;
        for (var length = 0; length <= text.Length; length++)
        {
            var result = ConfigurationLoader.Parse(text[..length], "cut.conf");
            Assert.Equal(result.Errors.IsEmpty, result.IsValid);
            Assert.All(result.Errors, e => Assert.InRange(e.Line, 1, lineCount));
            sawErrors += result.Errors.Length > 0 ? 1 : 0;
        }

        // The full text has a reversed range, so every long-enough prefix must report something.
        Assert.True(sawErrors > text.Length / 2);
    }
}
