namespace SharpSwan.Web.Gui;

/// <summary>One phase 2 selector of the Edit tunnel form, as the form shows it (text, ticks and lists).</summary>
internal sealed class SelectorForm
{
    public string Name { get; set; } = "";

    /// <summary>The name it had when the form was rendered ("" for a new selector); a difference is a rename.</summary>
    public string OriginalName { get; set; } = "";

    public bool Delete { get; set; }

    /// <summary>Local address: <c>10.1.0.0/24</c>, <c>10.1.0.0/255.255.255.0</c> or a range <c>10.1.0.1-10.1.0.9</c>.</summary>
    public string Local { get; set; } = "0.0.0.0/0";

    public string Remote { get; set; } = "0.0.0.0/0";

    /// <summary>Encryption/authentication pairs; AEAD ciphers have an empty authentication.</summary>
    public List<(string Encryption, string Authentication)> Pairs { get; set; } =
        [("aes128", "sha256"), ("aes256", "sha256"), ("aes128gcm", ""), ("aes256gcm", ""), ("chacha20poly1305", "")];

    public bool Replay { get; set; } = true;

    public bool Pfs { get; set; } = true;

    public List<string> DhGroups { get; set; } = ["14"];

    public bool AllLocalPorts { get; set; } = true;

    public string LocalPort { get; set; } = "0";

    public bool AllRemotePorts { get; set; } = true;

    public string RemotePort { get; set; } = "0";

    public bool AllProtocols { get; set; } = true;

    public string Protocol { get; set; } = "0";

    public bool AutoNegotiate { get; set; }

    public bool Keepalive { get; set; }

    /// <summary><c>seconds</c>, <c>kbs</c> or <c>both</c>.</summary>
    public string KeyLifeType { get; set; } = "seconds";

    public string KeyLifeSeconds { get; set; } = "43200";

    public string KeyLifeKbs { get; set; } = "5120";
}
