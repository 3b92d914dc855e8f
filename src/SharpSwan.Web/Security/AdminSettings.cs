using System.Globalization;
using System.Net;
using SharpSwan.Config;

namespace SharpSwan.Web.Security;

/// <summary>The web GUI's settings from <c>config system global</c>, with FortiOS's defaults.</summary>
internal sealed record AdminSettings(TimeSpan IdleTimeout, int LockoutThreshold, TimeSpan LockoutDuration)
{
    public static AdminSettings From(GatewayConfiguration configuration)
    {
        var global = configuration.Global;
        return new AdminSettings(
            TimeSpan.FromMinutes(Number(global, "admintimeout", 5, 1, 480)),
            (int)Number(global, "admin-lockout-threshold", 3, 1, 10),
            TimeSpan.FromSeconds(Number(global, "admin-lockout-duration", 60, 1, 86400)));
    }

    /// <summary>SharpSwan's <c>admin-address</c> extension: where the GUI listens; 127.0.0.1 when unset.</summary>
    public static IPAddress ListenAddress(GatewayConfiguration configuration) =>
        Text(configuration.Global, "admin-address") is { } text && IPAddress.TryParse(text, out var address) ? address : IPAddress.Loopback;

    private static long Number(GlobalSettings global, string name, long fallback, long min, long max) =>
        Text(global, name) is { } text && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : fallback;

    private static string? Text(GlobalSettings global, string name) =>
        global.OtherSettings.FirstOrDefault(s => s.Name == name) is { Values: [var only] } ? only : null;
}
