namespace SharpSwan.Config.Tests;

/// <summary>
/// Issue 11 item 15, phase 1 <c>esn</c>: read into the model (the engine offers and accepts what it says, EsnNegotiationTests
/// and EsnScenarios), written back when not the default, and refused with IKEv1, whose quick mode has no ESN here.
/// </summary>
public sealed class EsnConfigTests
{
    private static string Phase1(string version, string esn) => $$"""
        config vpn ipsec phase1-interface
            edit "to-branch"
                set interface "eth0"
                set ike-version {{version}}
                set remote-gw 198.51.100.2
                set proposal aes128-sha256
                set psksecret "s3cret-psk"
                {{esn}}
            next
        end

        """;

    [Theory]
    [InlineData("set esn require", EsnMode.Require)]
    [InlineData("set esn allow", EsnMode.Allow)]
    [InlineData("set esn disable", EsnMode.Disable)]
    [InlineData("", EsnMode.Disable)]
    public void Esn_is_read_into_the_model_and_written_back(string line, EsnMode expected)
    {
        var configuration = ConfigText.ParseValid(Phase1("2", line));

        Assert.Equal(expected, Assert.Single(configuration.Phase1).Esn);
        Assert.DoesNotContain(Assert.Single(configuration.Phase1).OtherSettings, s => s.Name == "esn");
        var written = ConfigurationWriter.Write(configuration, fullConfiguration: false);
        Assert.Equal(expected != EsnMode.Disable, written.Contains(line, StringComparison.Ordinal) && line.Length > 0);
        Assert.Equal(expected, Assert.Single(ConfigText.ParseValid(written).Phase1).Esn);
    }

    [Fact]
    public void Esn_require_with_ikev1_is_refused_at_its_line()
    {
        var error = ConfigText.SingleError(Phase1("1", "set esn require"));

        Assert.Equal(8, error.Line);
        Assert.Contains("SharpSwan", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Esn_allow_with_ikev1_is_accepted_as_allow_permits_32_bit_numbers()
    {
        Assert.Equal(EsnMode.Allow, Assert.Single(ConfigText.ParseValid(Phase1("1", "set esn allow")).Phase1).Esn);
    }
}
