using SharpSwan.Web.Api;
using SharpSwan.Web.Monitoring;

namespace SharpSwan.Web.Tests;

/// <summary>Issue 13: the REST monitor names the XAUTH user of an IKEv1 dial-up instance (<c>xauth_user</c>).</summary>
public sealed class XauthMonitorJsonTests
{
    private static TunnelStatus Instance(string? xauthUser) => new(
        "dialup-v1_0", "198.51.100.10", "wan0", 1, true, true, "198.51.100.10:4500", "client1.lab", DateTimeOffset.UnixEpoch, 0, 0, [])
    {
        Parent = "dialup-v1",
        InstanceIndex = 0,
        AssignedAddress = "10.10.30.10",
        XauthUser = xauthUser,
    };

    [Fact]
    public void DialUpInstance_CarriesItsXauthUser()
    {
        var entry = MonitorJson.Tunnels(new MonitorSnapshot(DateTimeOffset.UnixEpoch, [Instance("alice")]))[0]!;
        Assert.Equal("alice", (string?)entry["xauth_user"]);
        Assert.Equal("10.10.30.10", (string?)entry["assigned_ip"]);
    }

    [Fact]
    public void DialUpInstanceWithoutXauth_HasNoUser()
    {
        var entry = MonitorJson.Tunnels(new MonitorSnapshot(DateTimeOffset.UnixEpoch, [Instance(null)]))[0]!;
        Assert.Null(entry["xauth_user"]);
    }
}
