using SharpSwan.Gateway.Hosting;
using SharpSwan.Testing;

namespace SharpSwan.Gateway.Tests.Hosting;

/// <summary>
/// Issue 11, item 3: a flood of new IKE_SA_INIT requests never starves established SAs. Work for existing SAs, control and
/// web calls run before queued IKE_SA_INIT requests, and the IKE_SA_INIT lane is bounded (overflow dropped and counted).
/// Ordering only: the engine thread is held on a gate while the queues fill, so nothing depends on timing.
/// </summary>
public sealed class EngineLoopLaneTests
{
    [Fact]
    public async Task Work_for_established_SAs_runs_before_every_queued_IKE_SA_INIT_and_the_init_lane_overflow_is_counted()
    {
        using var network = new EngineNetwork();
        var node = network.Add("gw", "192.0.2.1", EngineNetwork.SiteToSite("p1", "p1-p2", "192.0.2.1", "198.51.100.2", "10.1.0.0", "10.2.0.0"));
        using var loop = new EngineLoop(TimeProvider.System);
        loop.Start(node.Engine);
        using var gate = new ManualResetEventSlim();
        using var held = new ManualResetEventSlim();
        var order = new List<string>();
        Assert.True(loop.PostInit(() =>
        {
            held.Set();
            gate.Wait();
            order.Add("init-0");
        }));
        Assert.True(held.Wait(TimeSpan.FromSeconds(30)));

        var accepted = 0;
        for (var i = 1; i <= EngineLoop.InitLaneCapacity + 500; i++)
        {
            var name = $"init-{i}";
            accepted += loop.PostInit(() => order.Add(name)) ? 1 : 0;
        }

        Assert.True(loop.Post(() => order.Add("rekey")));
        var control = loop.InvokeAsync(_ =>
        {
            order.Add("control");
            return 1;
        });
        gate.Set();
        await control.WaitAsync(TimeSpan.FromSeconds(30));
        var expected = 1 + accepted + 2;
        for (var i = 0; i < 300 && await loop.InvokeAsync(_ => order.Count) < expected; i++)
        {
            await Task.Delay(100);
        }

        var snapshot = await loop.InvokeAsync(_ => order.ToList());

        Assert.Equal(EngineLoop.InitLaneCapacity, accepted);
        Assert.Equal(500, loop.InitDropped);
        Assert.Equal(["init-0", "rekey", "control", "init-1"], snapshot.Take(4));
        Assert.Equal(expected, snapshot.Count);
        Assert.Equal($"init-{accepted}", snapshot[^1]);
    }
}
