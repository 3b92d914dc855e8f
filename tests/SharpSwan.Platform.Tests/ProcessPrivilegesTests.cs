using System.Diagnostics;

namespace SharpSwan.Platform.Tests;

public sealed class ProcessPrivilegesTests
{
    [Fact]
    public void IsRoot_AgreesWithIdU()
    {
        var start = new ProcessStartInfo("id", "-u") { RedirectStandardOutput = true };
        using Process id = Process.Start(start)!;
        string uid = id.StandardOutput.ReadToEnd().Trim();
        id.WaitForExit();

        Assert.Equal(uid == "0", ProcessPrivileges.IsRoot);
    }

    [Fact]
    public void MissingGatewayCapabilities_FollowsCapEff()
    {
        var effective = ProcessPrivileges.EffectiveCapabilities();
        var missing = ProcessPrivileges.MissingGatewayCapabilities();

        Assert.Equal((effective & (1UL << ProcessPrivileges.NetAdmin)) == 0, missing.Contains("CAP_NET_ADMIN"));
        Assert.Equal((effective & (1UL << ProcessPrivileges.NetRaw)) == 0, missing.Contains("CAP_NET_RAW"));
        Assert.Equal((effective & (1UL << ProcessPrivileges.NetBindService)) == 0, missing.Contains("CAP_NET_BIND_SERVICE"));
        if (ProcessPrivileges.IsRoot)
        {
            Assert.Empty(missing);
        }
    }
}
