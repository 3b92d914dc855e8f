using System.Net;
using System.Net.Sockets;
using SharpSwan.Config;

namespace SharpSwan.Web.Tests.Support;

/// <summary>
/// The test host's configuration plus the access profiles and admins the hardening tests need: <c>reader</c> holds the
/// built-in super_admin_readonly, <c>viewer</c> and the api-user <c>watcher</c> a custom profile (VPN read, firewall
/// read-write, routes none), <c>legacy</c> a password hashed with the old 100,000 rounds.
/// </summary>
internal static class HardeningConfig
{
    public const string ReaderPassword = "reader-password-1";
    public const string ViewerPassword = "viewer-password-1";
    public const string LegacyPassword = "legacy-password-1";
    public const string WatcherKey = "watcher-api-key-0123456789";
    public const string ReadOnlyKey = "readonly-api-key-0123456789";

    private static readonly Lazy<GatewayConfiguration> Parsed = new(() => WebTestHost.Parse(Text(PasswordHash.Create(LegacyPassword, 100_000))));

    public static GatewayConfiguration Configuration => Parsed.Value;

    public static string Text(PasswordHash legacy) => WebTestHost.BaseConfiguration
        .Replace("config system admin\n", $$"""
            config system accprofile
                edit "vpn-viewer"
                    set vpngrp read
                    set fwgrp read-write
                    set netgrp none
                    set sysgrp read
                next
            end
            config system admin
                edit "reader"
                    set accprofile "super_admin_readonly"
                    set password "{{ReaderPassword}}"
                next
                edit "viewer"
                    set accprofile "vpn-viewer"
                    set password "{{ViewerPassword}}"
                next
                edit "legacy"
                    set accprofile "super_admin"
                    set password {{legacy.ToConfigString()}}
                next

            """, StringComparison.Ordinal)
        .Replace("config system api-user\n", $$"""
            config system api-user
                edit "watcher"
                    set accprofile "vpn-viewer"
                    set api-key "{{WatcherKey}}"
                next
                edit "auditor"
                    set accprofile "super_admin_readonly"
                    set api-key "{{ReadOnlyKey}}"
                next

            """, StringComparison.Ordinal);

    /// <summary>A client whose connections come from <paramref name="source"/> (any 127.x address reaches the loopback server).</summary>
    public static HttpClient ClientFrom(WebTestHost host, IPAddress source)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = new CookieContainer(),
            ConnectCallback = async (context, cancellation) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellation);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = host.BaseAddress };
    }
}
