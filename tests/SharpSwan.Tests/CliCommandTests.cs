namespace SharpSwan.Tests;

/// <summary>`sharpswan cli` without a running gateway says so and what to do, with exit status 2.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class CliCommandTests
{
    [Fact]
    public void NoGateway_ExplainsAndExitsTwo()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"sharpswan-absent-{Guid.NewGuid():N}.sock");
        var (code, stdout, stderr) = ConsoleCapture.Run("cli", "--control", socket, "-c", "get vpn ipsec tunnel summary");
        Assert.Equal(2, code);
        Assert.Contains("is the gateway running?", stdout + stderr, StringComparison.Ordinal);
    }
}
