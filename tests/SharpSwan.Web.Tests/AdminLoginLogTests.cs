using Microsoft.Extensions.Logging;
using SharpSwan.Testing;
using SharpSwan.Web.Security;
using SharpSwan.Web.Tests.Support;

namespace SharpSwan.Web.Tests;

/// <summary>Issue 15 item 5: admin logins, failed logins and logouts reach the service log with the client's address.</summary>
public sealed class AdminLoginLogTests
{
    private const string Client = "192.0.2.77";

    [Fact]
    public async Task LoginFailedLoginAndLogout_AreLoggedWithUserAndClientAddress()
    {
        var configuration = WebTestHost.Parse(WebTestHost.BaseConfiguration);
        var log = new CapturedLog();
        var authenticator = new AdminAuthenticator(() => configuration, new SessionStore(TimeProvider.System), new LoginThrottle(TimeProvider.System)) { Log = log };

        var refused = await authenticator.LoginAsync(Client, WebTestHost.AdminUser, "not the password", CancellationToken.None);
        var accepted = await authenticator.LoginAsync(Client, WebTestHost.AdminUser, WebTestHost.AdminPassword, CancellationToken.None);
        authenticator.Logout(accepted.Session!, Client);

        Assert.Null(refused.Session);
        Assert.Equal(3, log.Entries.Count);
        Assert.Equal(LogLevel.Warning, log.Entries[0].Level);
        Assert.Equal([LogLevel.Information, LogLevel.Information], log.Entries.Skip(1).Select(e => e.Level));
        Assert.All(log.Entries, e => Assert.Equal((WebTestHost.AdminUser, Client), ((string?)e.State["User"], (string?)e.State["Client"])));
    }
}
