using System.Net;
using SharpSwan.Gateway.Control;
using SharpSwan.Web.Tests.Support;

namespace SharpSwan.Web.Tests;

/// <summary>Issue 15 item 5: a web change reaches the gateway with who made it (admin or api-user, REST or GUI, address).</summary>
public sealed class ChangeAuthorTests
{
    [Fact]
    public async Task RestChange_IsTheApiUsers_FromTheClientsAddress()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();

        using var put = await api.PutAsync(
            new Uri("/api/v2/cmdb/vpn.ipsec/phase2-interface/to-branch-p2", UriKind.Relative),
            WebTestHost.Json("""{"keylifeseconds": 7200}"""));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(new ChangeAuthor("automation", ChangeSource.Rest, "127.0.0.1"), Assert.Single(host.Applier.Authors));
    }

    [Fact]
    public async Task GuiChange_IsTheLoggedInAdmins_FromTheClientsAddress()
    {
        await using var host = await WebTestHost.StartAsync();
        var (client, csrf) = await host.LoginAsync();
        using (client)
        {
            var before = host.Applier.Authors.Count;
            using var response = await client.PostAsync(new Uri("/ipsec/tunnels/dialup/delete", UriKind.Relative), WebTestHost.Form(("csrf_token", csrf)));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.EndsWith("deleted=dialup", response.Headers.Location!.ToString(), StringComparison.Ordinal);
            Assert.Equal(before + 1, host.Applier.Authors.Count);
        }

        Assert.DoesNotContain(host.Applier.Current.Phase1, p => p.Name == "dialup");
        Assert.Equal(new ChangeAuthor(WebTestHost.AdminUser, ChangeSource.Gui, "127.0.0.1"), host.Applier.Authors[^1]);
    }
}
