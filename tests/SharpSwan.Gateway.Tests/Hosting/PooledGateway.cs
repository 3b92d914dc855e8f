using System.Collections.Concurrent;
using System.Net;
using SharpSwan.Crypto;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Gateway.Events;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Testing;

namespace SharpSwan.Gateway.Tests.Hosting;

/// <summary>
/// One gateway wired as GatewayService wires it: its engine on an <see cref="EngineLoop"/>, a <see cref="GatewayEngineHost"/>
/// over a real <see cref="EspDataPlane"/> whose IKE sockets are bound on a loopback address, and (when pooled) a
/// <see cref="ComputationPool"/> whose results are posted back to the loop. The pool's completion callback is the one place a
/// test can see the work without changing the product: it notes each computation's kind and the thread that ran it.
/// </summary>
public sealed class PooledGateway : IDisposable
{
    private readonly EspDataPlane _dataPlane;
    private readonly ComputationPool? _pool;
    private readonly GatewayEvents _stream = new();
    private readonly ConcurrentQueue<IkeEvent> _events = new();
    private readonly ConcurrentQueue<(Type Kind, string? Thread)> _computed = new();

    public PooledGateway(IPAddress address, string configuration, int ikePort, bool pooled)
    {
        Address = address;
        var parsed = DialupTriangle.Parse(configuration, $"{address}.conf");
        // Nothing is lost on loopback: a message an end drops shows as a child that never comes (the wait gives up), not
        // as a retransmission two seconds later that hides it.
        var options = new IkeEngineOptions { LocalAddressResolver = p => p.LocalGateway, IkePort = ikePort, NatTraversalPort = ikePort + 1, RetransmitTimeout = TimeSpan.FromMinutes(5) };
        _dataPlane = new EspDataPlane(SystemRandomSource.Instance, TimeProvider.System, tunWorkers: 1) { Log = _ => { } };
        _dataPlane.BindLocal(address, options.IkePort, options.NatTraversalPort);
        _stream.Subscribe<IkeEvent>(_events.Enqueue);
        var host = new GatewayEngineHost(_dataPlane, options.NatTraversalPort, _stream);
        Engine = new IkeEngine(parsed, options, TimeProvider.System, SystemRandomSource.Instance, host, new ConsoleIkeLog(0, TextWriter.Null, TimeProvider.System));
        if (pooled)
        {
            var engine = Engine;
            _pool = new ComputationPool(2, computation =>
            {
                _computed.Enqueue((computation.GetType(), Thread.CurrentThread.Name));
                return Loop.Post(() => engine.CompleteComputation(computation));
            });
            _pool.Start();
            host.Computations = _pool;
        }

        _dataPlane.IkeReceived = (local, remote, bytes) => Loop.Post(() => Engine.ReceiveDatagram(local, remote, bytes));
        Loop.Start(Engine);
    }

    public IPAddress Address { get; }

    public EngineLoop Loop { get; } = new(TimeProvider.System);

    public IkeEngine Engine { get; }

    /// <summary>The typed events the engine published through the gateway's event stream, in order.</summary>
    public IReadOnlyList<IkeEvent> Events => [.. _events];

    public List<T> Of<T>() where T : IkeEvent => [.. _events.OfType<T>()];

    /// <summary>The computations the pool ran and gave back: their kind and the thread that ran them.</summary>
    public IReadOnlyList<(Type Kind, string? Thread)> Computed => [.. _computed];

    public void Dispose()
    {
        Loop.Dispose();
        _pool?.Dispose();
        Engine.Dispose();
        _dataPlane.Dispose();
    }
}
