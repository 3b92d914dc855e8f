using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace SharpSwan.Web.Hosting;

/// <summary>
/// Where plain HTTP is sent: the configured <c>admin-address</c>, or, when the GUI listens on every address, the local
/// address the request arrived on. Never the client's Host header, which anyone can set to any site.
/// </summary>
internal static class HttpsRedirect
{
    public static string Target(IPAddress configured, HttpContext context, int httpsPort)
    {
        var address = configured.Equals(IPAddress.Any) || configured.Equals(IPAddress.IPv6Any)
            ? context.Connection.LocalIpAddress ?? IPAddress.Loopback
            : configured;
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return $"https://{host}:{httpsPort}{context.Request.PathBase}{context.Request.Path}{context.Request.QueryString}";
    }
}
