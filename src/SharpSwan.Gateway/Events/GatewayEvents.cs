namespace SharpSwan.Gateway.Events;

/// <summary>
/// The gateway's one event stream: the engine's typed events (and any other producer's) fan out to every subscriber of a
/// matching type, synchronously on the producer's thread (the engine thread for IKE events). Subscribers must return at
/// once (queue anything slow, as the syslog forwarder does); one that throws is reported and skipped, never allowed to
/// stop the engine or starve the others. Subscribing and publishing may happen on any thread.
/// </summary>
/// <param name="errors">Where a failing subscriber is reported; null: standard error.</param>
public sealed class GatewayEvents(TextWriter? errors = null)
{
    private readonly Lock _gate = new();

    // Copy-on-write, so publishing never takes the lock.
    private Subscription[] _subscriptions = [];

    /// <summary>Calls <paramref name="handler"/> with every published event that is a <typeparamref name="T"/>; dispose to stop.</summary>
    public IDisposable Subscribe<T>(Action<T> handler)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new Subscription(this, typeof(T), e => handler((T)e));
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }

        return subscription;
    }

    public void Publish(object e)
    {
        ArgumentNullException.ThrowIfNull(e);
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            if (!subscription.Type.IsInstanceOfType(e))
            {
                continue;
            }

            try
            {
                subscription.Handler(e);
            }
            catch (Exception ex)
            {
                (errors ?? Console.Error).WriteLine($"sharpswan: event subscriber failed on {e.GetType().Name}: {ex.Message}");
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions.Where(s => s != subscription)];
        }
    }

    private sealed class Subscription(GatewayEvents owner, Type type, Action<object> handler) : IDisposable
    {
        public Type Type => type;

        public Action<object> Handler => handler;

        public void Dispose() => owner.Remove(this);
    }
}
