using System.Security.Cryptography;
using System.Text;
using SharpSwan.Config;

namespace SharpSwan.Web.Cmdb;

/// <summary>FortiOS's <c>revision</c>: a checksum of the configuration, so a client can tell whether it changed.</summary>
internal static class ConfigRevision
{
    public static string Of(GatewayConfiguration configuration)
    {
        var text = ConfigurationWriter.Write(configuration, fullConfiguration: false);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
    }
}
