using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// An nftables table in one namespace that drops incoming IKE CREATE_CHILD_SA <em>requests</em> on UDP 4500;
/// responses, other exchanges and ESP pass. Installed on both sides, it holds back both ends' rekey requests
/// until each has one outstanding, so that their retransmissions meet a peer that is itself rekeying: a rekey
/// collision on demand, where two lifetime timers meet only by chance. Disposing removes the table.
/// </summary>
public sealed partial class CreateChildRequestBlocker : IDisposable
{
    private const string Table = "ssi_lifecycle";

    private readonly NetworkNamespace _ns;
    private bool _disposed;

    private CreateChildRequestBlocker(NetworkNamespace ns) => _ns = ns;

    public static CreateChildRequestBlocker Install(NetworkNamespace ns)
    {
        // UDP payload on 4500: a 4-byte zero non-ESP marker, then the IKE header, whose exchange type (byte 18)
        // and flags (byte 19, 0x20 = response) sit 30 and 31 bytes after the start of the UDP header.
        string rules = $$"""
            table inet {{Table}} {
              chain input {
                type filter hook input priority -10; policy accept;
                udp dport 4500 @th,64,32 0 @th,240,8 36 @th,248,8 & 0x20 == 0 counter drop
              }
            }
            """;
        string file = Path.Combine(RepositoryLayout.CreateWorkDirectory("nft"), "block-create-child.nft");
        File.WriteAllText(file, rules);
        ProcessResult result = ns.Exec("nft", "-f", file);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"[{ns.Name}] nft -f {file} failed: {result.Describe()}");
        }

        return new CreateChildRequestBlocker(ns);
    }

    /// <summary>How many CREATE_CHILD_SA requests the rule has dropped so far.</summary>
    public int DroppedRequests()
    {
        Match counter = Counter().Match(_ns.Exec("nft", "list", "table", "inet", Table).StandardOutput);
        return counter.Success ? int.Parse(counter.Groups["packets"].Value, CultureInfo.InvariantCulture) : 0;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _ns.Exec("nft", "delete", "table", "inet", Table);
    }

    // "... counter packets 1 bytes 301 drop"
    [GeneratedRegex(@"counter packets (?<packets>\d+) bytes")]
    private static partial Regex Counter();
}
