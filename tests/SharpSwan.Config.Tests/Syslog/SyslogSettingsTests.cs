using System.Net;

namespace SharpSwan.Config.Tests.Syslog;

public sealed class SyslogSettingsTests
{
    private static string Block(params string[] settings) =>
        "config log syslogd setting\n" + string.Concat(settings.Select(s => $"    {s}\n")) + "end\n";

    private static ConfigError SingleError(string text)
    {
        var result = ConfigurationLoader.Parse(text, "hq.conf");
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void NoBlock_GivesFortiOsDefaults()
    {
        var syslog = ConfigurationLoader.Parse("", "hq.conf").Configuration!.Syslog;
        Assert.False(syslog.Enabled);
        Assert.Null(syslog.Server);
        Assert.Equal(SyslogMode.Udp, syslog.Mode);
        Assert.Equal(514, syslog.Port);
        Assert.Equal(SyslogFacility.Local7, syslog.Facility);
        Assert.Null(syslog.SourceIp);
        Assert.Equal(SyslogFormat.Default, syslog.Format);
        Assert.False(syslog.IsActive);
    }

    [Fact]
    public void EveryInterpretedField_IsRead_AndOtherFortiOsFieldsAreKeptVerbatim()
    {
        var result = ConfigurationLoader.Parse(Block(
            "set status enable",
            "set server \"syslog.example.net\"",
            "set mode reliable",
            "set port 6514",
            "set facility local3",
            "set source-ip 192.0.2.1",
            "set format rfc5424",
            "set ssl-min-proto-version TLSv1-2",
            "set use-management-vdom enable"), "hq.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var syslog = result.Configuration!.Syslog;
        Assert.True(syslog.IsActive);
        Assert.Equal("syslog.example.net", syslog.Server);
        Assert.Equal(SyslogMode.Reliable, syslog.Mode);
        Assert.Equal(6514, syslog.Port);
        Assert.Equal(SyslogFacility.Local3, syslog.Facility);
        Assert.Equal(19, (int)syslog.Facility);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), syslog.SourceIp);
        Assert.Equal(SyslogFormat.Rfc5424, syslog.Format);
        Assert.Equal(["ssl-min-proto-version", "use-management-vdom"], syslog.OtherSettings.Select(s => s.Name));
        Assert.Equal("TLSv1-2", Assert.Single(syslog.OtherSettings[0].Values));
    }

    [Theory]
    [InlineData("kernel", 0)]
    [InlineData("daemon", 3)]
    [InlineData("authpriv", 10)]
    [InlineData("audit", 13)]
    [InlineData("clock", 15)]
    [InlineData("local0", 16)]
    [InlineData("local7", 23)]
    public void FacilityNames_MapToTheirSyslogCodes(string name, int code)
    {
        var result = ConfigurationLoader.Parse(Block($"set facility {name}"), "hq.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(code, (int)result.Configuration!.Syslog.Facility);
    }

    [Fact]
    public void Writer_ShowsOnlyNonDefaults_FullShowsEverything_AndBothReadBackEqual()
    {
        var configuration = ConfigurationLoader.Parse(Block(
            "set status enable", "set server 10.0.0.5", "set mode legacy-reliable", "set facility user", "set ssl-min-proto-version TLSv1-2"), "hq.conf").Configuration!;

        var shown = ConfigurationWriter.Write(configuration, fullConfiguration: false);
        Assert.Contains("config log syslogd setting\n    set status enable\n    set server \"10.0.0.5\"\n    set mode legacy-reliable\n    set facility user\n    set ssl-min-proto-version TLSv1-2\nend\n", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("set port", shown, StringComparison.Ordinal);

        var full = ConfigurationWriter.Write(configuration, fullConfiguration: true);
        Assert.Contains("    set port 514\n", full, StringComparison.Ordinal);
        Assert.Contains("    set source-ip 0.0.0.0\n", full, StringComparison.Ordinal);
        Assert.Contains("    set format default\n", full, StringComparison.Ordinal);

        Assert.Equal(configuration, ConfigurationLoader.Parse(shown, "again.conf").Configuration);
        Assert.Equal(configuration, ConfigurationLoader.Parse(full, "again.conf").Configuration);
        Assert.DoesNotContain("syslogd", ConfigurationWriter.Write(GatewayConfiguration.Empty, fullConfiguration: false), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("abc")]
    public void BadPort_IsValueParseErrorOnItsLine(string port)
    {
        var error = SingleError(Block("set status enable", "set server 10.0.0.5", $"set port {port}"));
        Assert.Equal(4, error.Line);
        Assert.Equal($"value parse error before '{port}'", error.Message);
        Assert.StartsWith($"node_check_object fail! for port {port}\n", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void BadFacility_ListsTheFortiOsNames()
    {
        var error = SingleError(Block("set facility local8"));
        Assert.Equal(2, error.Line);
        Assert.Equal("value parse error before 'local8'", error.Message);
        Assert.Equal("facility must be one of: kernel user mail daemon auth syslog lpr news uucp cron authpriv ftp ntp audit alert clock local0 local1 local2 local3 local4 local5 local6 local7", error.Reason);
    }

    [Fact]
    public void UnknownFormat_IsRefusedWithTheChoices()
    {
        var error = SingleError(Block("set format json"));
        Assert.Equal("value parse error before 'json'", error.Message);
        Assert.Equal("format must be one of: default csv cef rfc5424", error.Reason);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("cef")]
    public void CsvAndCef_AreFortiOsFormats_ButRefusedClearly(string format)
    {
        var error = SingleError(Block($"set format {format}"));
        Assert.Equal(2, error.Line);
        Assert.Equal($"format {format} is unsupported by SharpSwan (use default or rfc5424)", error.Reason);
    }

    [Fact]
    public void EnableWithoutServer_MustSetServer()
    {
        var error = SingleError(Block("set status enable"));
        Assert.Equal(1, error.Line);
        Assert.Equal("Attribute 'server' MUST be set.", error.Message);
    }

    [Theory]
    [InlineData("bad host")]
    [InlineData("-leading.example")]
    [InlineData("10.0.0.300")]
    public void ServerThatIsNeitherAddressNorHostName_IsRefused(string server)
    {
        var error = SingleError(Block($"set server \"{server}\""));
        Assert.Equal($"server {server} is neither an IPv4 address nor a host name", error.Reason);
    }

    [Fact]
    public void TlsIsRefused_NotSilentlySentInClear()
    {
        var error = SingleError(Block("set enc-algorithm high"));
        Assert.Equal("enc-algorithm high is unsupported by SharpSwan (syslog over TLS)", error.Reason);
    }

    [Fact]
    public void UnknownField_IsCommandParseError()
    {
        var error = SingleError(Block("set colour blue"));
        Assert.Equal("command parse error before 'colour'", error.Message);
    }
}
