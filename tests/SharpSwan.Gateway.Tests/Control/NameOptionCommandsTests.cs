using SharpSwan.Gateway.Tests.Diagnostics;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Gateway.Tests.Control;

/// <summary>
/// `diagnose vpn ike gateway clear|rekey|list [name &lt;phase1&gt;]` and `diagnose vpn tunnel list [name &lt;phase1&gt;] [keys]`
/// against a tunnel that really came up in memory: only the optional `name &lt;phase1&gt;` (and the list's `keys`) is
/// understood, so a mistyped line is refused before it can act on, or list, every tunnel.
/// </summary>
public sealed class NameOptionCommandsTests : IDisposable
{
    private const string ParseErrorTail = "'\nCommand fail. Return code -61\n";
    private const string EntryNotFound = "entry not found in datasource\nCommand fail. Return code -3\n";
    private readonly EnginePair _pair = new();

    [Theory]
    [InlineData("diagnose vpn ike gateway clear to-branch", "to-branch")]
    [InlineData("diagnose vpn ike gateway clear name", "name")]
    [InlineData("diagnose vpn ike gateway clear name to-branch now", "now")]
    [InlineData("diagnose vpn ike gateway rekey to-branch", "to-branch")]
    [InlineData("diagnose vpn ike gateway list to-branch", "to-branch")]
    public async Task AnythingButNamePhase1_IsAParseError_AndLeavesTheIkeSaAlone(string command, string pointedAt)
    {
        await _pair.BringUpAsync();
        var before = await IkeSaAsync();

        Assert.Equal($"command parse error before '{pointedAt}{ParseErrorTail}", await _pair.RunAsync(command));

        // Clear and rekey act at once on the engine thread (a DELETE or CREATE_CHILD request goes out): nothing moved.
        var after = await IkeSaAsync();
        Assert.Same(before.Sa, after.Sa);
        Assert.Equal(IkeSaState.Established, after.State);
        Assert.Equal(before.NextRequestId, after.NextRequestId);
    }

    [Theory]
    [InlineData("diagnose vpn ike gateway clear name to-nowhere")]
    [InlineData("diagnose vpn ike gateway rekey name to-nowhere")]
    public async Task ANameThatIsNoTunnel_IsEntryNotFound(string command)
    {
        await _pair.BringUpAsync();
        Assert.Equal(EntryNotFound, await _pair.RunAsync(command));
    }

    [Fact]
    public async Task ClearWithAnAbbreviatedName_DeletesThatIkeSa()
    {
        await _pair.BringUpAsync();
        var before = await IkeSaAsync();

        Assert.Equal(string.Empty, await _pair.RunAsync("diagnose vpn ike gateway clear na to-branch"));

        Assert.NotEqual(IkeSaState.Established, before.Sa.State);
    }

    [Theory]
    [InlineData("diagnose vpn tunnel list to-branch", "to-branch")]
    [InlineData("diagnose vpn tunnel list to-branch keys", "to-branch")]
    [InlineData("diagnose vpn tunnel list name to-branch keys now", "now")]
    public async Task TunnelList_WithAnythingButNameAndKeys_IsAParseError(string command, string pointedAt) =>
        Assert.Equal($"command parse error before '{pointedAt}{ParseErrorTail}", await _pair.RunAsync(command));

    [Theory]
    [InlineData("diagnose vpn tunnel list")]
    [InlineData("diagnose vpn tunnel list keys")]
    [InlineData("diagnose vpn tunnel list name to-branch")]
    [InlineData("diagnose vpn tunnel list name to-branch keys")]
    public async Task TunnelList_WithItsOptions_ListsTheTunnel(string command)
    {
        await _pair.BringUpAsync();
        var list = await _pair.RunAsync(command);
        Assert.StartsWith("list all ipsec tunnel in vd 0\n", list, StringComparison.Ordinal);
        Assert.Contains("\nname=to-branch ver=2 ", list, StringComparison.Ordinal);
    }

    public void Dispose() => _pair.Dispose();

    private Task<(IkeSa Sa, IkeSaState State, uint NextRequestId)> IkeSaAsync() =>
        _pair.LoopA.InvokeAsync(engine => engine.Tunnels.Single().Current is { } sa ? (sa, sa.State, sa.NextRequestId) : throw new InvalidOperationException("no IKE SA"));
}
