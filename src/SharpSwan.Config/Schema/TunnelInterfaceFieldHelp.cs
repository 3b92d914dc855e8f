namespace SharpSwan.Config;

/// <summary><c>?</c> help of the tunnel entries of <c>config system interface</c> (see <see cref="FieldHelpCatalog"/>).</summary>
internal static class TunnelInterfaceFieldHelp
{
    public static readonly Dictionary<string, FieldHelp> Fields = new(StringComparer.Ordinal)
    {
        ["vdom"] = new("virtual domain (SharpSwan: root, one gateway)", "name", Default: "root"),
        ["type"] = new("interface type: a phase1-interface's entry is a tunnel", Choices: ["tunnel"], Default: "tunnel"),
        ["interface"] = new("parent interface (restates the phase1-interface's interface)", "name, 1-15 characters"),
        ["ip"] = new("this end's tunnel address, put on the TUN device", "a.b.c.d m.m.m.m or a.b.c.d/nn"),
        ["remote-ip"] = new("the peer's end of a point-to-point tunnel address; its mask gives the route", "a.b.c.d m.m.m.m or a.b.c.d/nn"),
        ["mtu-override"] = new("apply mtu to the TUN device", Choices: ["enable", "disable"], Default: "disable"),
        ["mtu"] = new("the TUN device's MTU (with mtu-override enable)", $"{TunnelInterfaceReader.MinimumMtu}-{TunnelInterfaceReader.MaximumMtu}"),
        ["allowaccess"] = new(
            "services answered on the tunnel address; the others of these are dropped there (https and http: the web GUI's admin-sport and admin-port)",
            "space-separated list", [.. TunnelInterface.HonouredAccess], IsList: true),
        ["description"] = new("description", "0-255 characters"),
    };
}
