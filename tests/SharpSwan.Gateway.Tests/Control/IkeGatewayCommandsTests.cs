using SharpSwan.Gateway.Tests.Diagnostics;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Gateway.Tests.Control;

/// <summary>
/// `diagnose vpn ike gateway clear|rekey|list [name &lt;phase1&gt;]` against a tunnel that really came up in memory: only
/// the optional `name &lt;phase1&gt;` is understood, so a mistyped line is refused before it can act on every tunnel.
/// </summary>
public sealed class IkeGatewayCommandsTests : IDisposable
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

    public void Dispose() => _pair.Dispose();

    private Task<(IkeSa Sa, IkeSaState State, uint NextRequestId)> IkeSaAsync() =>
        _pair.LoopA.InvokeAsync(engine => engine.Tunnels.Single().Current is { } sa ? (sa, sa.State, sa.NextRequestId) : throw new InvalidOperationException("no IKE SA"));
}
