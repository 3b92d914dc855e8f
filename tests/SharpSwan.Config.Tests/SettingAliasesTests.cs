using SharpSwan.Config.Tests.Firewall;

namespace SharpSwan.Config.Tests;

/// <summary>
/// The table of older FortiOS spellings (SettingAliases): each is read as the current setting, with a ConvertedSetting
/// warning at its line, and written back in the current spelling.
/// </summary>
public sealed class SettingAliasesTests
{
    [Fact]
    public void DpdEnable_IsOnDemand()
    {
        var result = ConfigurationLoader.Parse(ConfigText.MinimalPhase1.Replace("        set psksecret", "        set dpd enable\n        set psksecret", StringComparison.Ordinal), "a.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(DpdMode.OnDemand, Assert.Single(result.Configuration!.Phase1).Dpd);
        var warning = Assert.Single(result.ConfigWarnings);
        Assert.Equal((6, WarningKind.ConvertedSetting, "dpd"), (warning.Line, warning.Kind, warning.Subject));
        Assert.DoesNotContain("dpd enable", ConfigurationWriter.Write(result.Configuration, fullConfiguration: true), StringComparison.Ordinal);
    }

    [Fact]
    public void PolicyActionAllow_OfFortiOs62To640_IsAccept()
    {
        var result = ConfigurationLoader.Parse(PolicyConfigText.WithPolicy(PolicyConfigText.AcceptLines("set action allow")), "a.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(PolicyAction.Accept, Assert.Single(result.Configuration!.FirewallPolicies).Action);
        Assert.Equal("action", Assert.Single(result.ConfigWarnings, w => w.Kind == WarningKind.ConvertedSetting).Subject);
        Assert.Contains("set action accept", ConfigurationWriter.Write(result.Configuration, fullConfiguration: false), StringComparison.Ordinal);
    }

    [Fact]
    public void RsaCertificateAndRsaSignature_AreCertificateAndSignature()
    {
        var text = ConfigText.MinimalPhase1.Replace(
            "        set psksecret \"minimal-psk\"\n",
            "        set authmethod rsa-signature\n        set rsa-certificate \"gw\"\n",
            StringComparison.Ordinal);
        var result = ConfigurationLoader.Parse(text, "a.conf");
        Assert.Equal(
            ["authmethod", "rsa-certificate"],
            result.ConfigWarnings.Where(w => w.Kind == WarningKind.ConvertedSetting).Select(w => w.Subject).Order(StringComparer.Ordinal));

        // Read as certificate "gw": the reference check now names it, as for a current spelling.
        Assert.Contains(result.Errors, e => e.Line == 7 && e.Message == "entry not found in datasource");
    }

    [Fact]
    public void AnAliasedValueOutsideItsTable_IsNotConverted()
    {
        var result = ConfigurationLoader.Parse(ConfigText.MinimalPhase1.Replace("        set psksecret", "        set action allow\n        set psksecret", StringComparison.Ordinal), "a.conf");
        Assert.Contains(result.Errors, e => e.Line == 6);
        Assert.DoesNotContain(result.ConfigWarnings, w => w.Kind == WarningKind.ConvertedSetting);
    }
}
