using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;
using SharpSwan.Cli.Grammar;
using SharpSwan.Config;
using SharpSwan.Config.Editing;
using SharpSwan.Web.Cmdb;

namespace SharpSwan.Web.Gui;

/// <summary>
/// The tunnel interface of a route-based tunnel: its <c>config system interface</c> entry's ip, remote-ip, mtu-override
/// and mtu, changed under the rules the CLI and REST API apply (<see cref="TunnelInterfaceEdits"/>).
/// </summary>
internal sealed partial class TunnelForm
{
    /// <summary>Posted with the section, so a post without it (a script's, an older page's) leaves the entry alone.</summary>
    public const string InterfaceMarker = "tunnel-interface";

    public string TunnelIp { get; set; } = "";

    public string TunnelRemoteIp { get; set; } = "";

    public bool TunnelMtuOverride { get; set; }

    public string TunnelMtu { get; set; } = "";

    /// <summary>The <c>allowaccess</c> services ticked (of <see cref="TunnelInterface.HonouredAccess"/>).</summary>
    public IReadOnlyList<string> TunnelAllowAccess { get; set; } = [];

    /// <summary>Whether the post carried the tunnel interface section.</summary>
    public bool InterfacePosted { get; set; }

    /// <summary>The tunnel interface fields of the phase1-interface's entry, when it has one.</summary>
    private void ReadInterface(EditableDocument document)
    {
        if (PolicyBased || document.Find(TunnelInterfaceEdits.Path, Name) is not { } entry)
        {
            return;
        }

        TunnelIp = Text(entry, "ip");
        TunnelRemoteIp = Text(entry, "remote-ip");
        TunnelMtuOverride = Word(entry, "mtu-override", "disable") == "enable";
        TunnelMtu = Text(entry, "mtu");
        TunnelAllowAccess = [.. entry.Words("allowaccess").Select(t => t.Text).Where(TunnelInterface.HonouredAccess.Contains)];
    }

    private void ReadInterface(IFormCollection post)
    {
        InterfacePosted = post[InterfaceMarker].ToString().Length > 0;
        TunnelIp = post["tunnel-ip"].ToString().Trim();
        TunnelRemoteIp = post["tunnel-remote-ip"].ToString().Trim();
        TunnelMtuOverride = post["tunnel-mtu-override"].ToString() == "enable";
        TunnelMtu = post["tunnel-mtu"].ToString().Trim();
        var ticked = post["tunnel-allowaccess"].Select(v => v ?? "").ToHashSet(StringComparer.Ordinal);
        TunnelAllowAccess = [.. TunnelInterface.HonouredAccess.Where(ticked.Contains)];
    }

    /// <summary>
    /// Writes the section into the phase1-interface's entry (made with FortiOS's defaults when the section gives it
    /// something to hold); null to go on, or the shared rules' refusal. Lines the section does not change stay as written.
    /// </summary>
    private EditResult? ApplyInterface(EditableDocument document)
    {
        if (PolicyBased || !InterfacePosted)
        {
            return null;
        }

        var path = TunnelInterfaceEdits.Path;
        var existing = document.Find(path, Name);

        // The boxes are the services SharpSwan acts on; FortiGate's own ones the file names stay as written.
        var kept = existing?.Words("allowaccess").Select(t => t.Text).Where(a => !TunnelInterface.HonouredAccess.Contains(a)) ?? [];
        var wanted = new (string Field, string Value)[]
        {
            ("ip", TunnelIp),
            ("remote-ip", TunnelRemoteIp),
            ("mtu-override", TunnelMtuOverride ? "enable" : ""),
            ("mtu", TunnelMtu),
            ("allowaccess", string.Join(' ', TunnelAllowAccess.Concat(kept))),
        };
        if (existing is null && wanted.All(w => w.Value.Length == 0))
        {
            return null;
        }

        if (TunnelInterfaceEdits.EntryError(document, Name) is { } refused)
        {
            return EditResult.Refused(path, Name, "name", refused);
        }

        var entry = existing ?? TunnelInterfaceEdits.NewEntry(document, Name);
        foreach (var (field, value) in wanted)
        {
            ImmutableArray<string> values = [.. CliTokenizer.Words(value, out _)];

            // An mtu-override disable the file wrote is what an unticked box means: keep the line as it is.
            if (field == "mtu-override" && values.IsEmpty && entry.Find(field)?.Values is ["disable"])
            {
                continue;
            }

            if (TunnelInterfaceEdits.FieldError(field, values) is { } invalid)
            {
                return EditResult.Refused(path, Name, field, invalid);
            }

            Set(entry, field, value);
        }

        document.Put(path, entry);
        return null;
    }
}
