namespace SharpSwan.Web.Tests.Support;

/// <summary>
/// The test gateway's configuration plus what IKEv1 remote access needs: a local user in a user group (for
/// <c>authusrgrp</c>) and an IKEv1 dial-up phase 1 "rw" without XAUTH yet, for the pages and the REST API to edit.
/// </summary>
internal static class XauthWebConfig
{
    public const string Text = WebTestHost.BaseConfiguration + """

        config user local
            edit "alice"
                set type password
                set passwd "alice-pw"
            next
        end
        config user group
            edit "vpn-users"
                set member "alice"
            next
        end
        config vpn ipsec phase1-interface
            edit "rw"
                set type dynamic
                set interface "eth2"
                set ike-version 1
                set proposal aes256-sha256
                set dhgrp 14
                set psksecret "rw-psk-value"
            next
        end
        config vpn ipsec phase2-interface
            edit "rw-p2"
                set phase1name "rw"
                set proposal aes256-sha256
            next
        end
        """;

    private static readonly Lazy<SharpSwan.Config.GatewayConfiguration> Parsed = new(() => WebTestHost.Parse(Text));

    public static SharpSwan.Config.GatewayConfiguration Configuration => Parsed.Value;
}
