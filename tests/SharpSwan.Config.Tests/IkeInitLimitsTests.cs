namespace SharpSwan.Config.Tests;

/// <summary>Issue 11, item 3: the IKE_SA_INIT flood limits in <c>config system global</c>, their defaults and their ranges.</summary>
public sealed class IkeInitLimitsTests
{
    [Fact]
    public void Without_settings_the_limits_are_the_documented_defaults()
    {
        var configuration = ConfigText.ParseValid("config system global\n    set hostname \"gw\"\nend\n");
        Assert.Equal(new IkeInitLimits(32, 10000, 8), configuration.Global.IkeLimits);
        Assert.DoesNotContain(configuration.Global.OtherSettings, s => s.Name.StartsWith("ike-", StringComparison.Ordinal));
    }

    [Fact]
    public void The_three_settings_are_read_and_written_back()
    {
        var configuration = ConfigText.ParseValid("""
            config system global
                set ike-cookie-threshold 5
                set ike-embryonic-limit 200
                set ike-embryonic-limit-per-source 3
            end
            """);
        Assert.Equal(new IkeInitLimits(5, 200, 3), configuration.Global.IkeLimits);
        var written = ConfigurationWriter.Write(configuration, fullConfiguration: false);
        Assert.Contains("set ike-cookie-threshold 5", written, StringComparison.Ordinal);
        Assert.Equal(configuration.Global.IkeLimits, ConfigText.ParseValid(written).Global.IkeLimits);
    }

    [Theory]
    [InlineData("ike-cookie-threshold", "-1")]
    [InlineData("ike-cookie-threshold", "20001")]
    [InlineData("ike-embryonic-limit", "49")]
    [InlineData("ike-embryonic-limit-per-source", "0")]
    [InlineData("ike-embryonic-limit", "many")]
    public void Out_of_range_values_are_refused_with_the_line(string field, string value)
    {
        var error = ConfigText.SingleError($"config system global\n    set {field} {value}\nend\n");
        Assert.Equal(2, error.Line);
    }
}
