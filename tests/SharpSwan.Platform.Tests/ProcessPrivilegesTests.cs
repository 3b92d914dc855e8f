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
}
