using System.Collections.Concurrent;
using SharpSwan.Platform.Interop;

namespace SharpSwan.Platform;

/// <summary>
/// A fixed set of worker threads that serve any number of TUN devices, so threads do not grow with tunnels. Each device
/// is given to one worker (the one serving fewest at the time) for as long as it is registered; the worker waits on all
/// of its devices in one epoll set (level-triggered) and hands a readable device to its <see cref="ITunFrameHandler{T}"/>,
/// which reads a bounded batch, so one busy device cannot starve the others. A device is thus always handled by one and the
/// same thread, which may own per-device state (the gateway's trigger queues). Devices come and go while the workers run:
/// after <see cref="Remove"/> returns no new read starts on the device, and one already under way holds the descriptor
/// open (<see cref="TunDevice.TryReadFrame(Span{byte}, int)"/> references it), so the device may be disposed at once.
/// A multi-queue device (<see cref="TunDevice.QueueCount"/> above 1) is registered once per queue: queue i goes to worker
/// i (modulo the workers), so each worker reads its own queue of the device and the kernel's choice of queue per flow
/// keeps a flow on one worker.
/// </summary>
/// <remarks>
/// The host starts the threads through <c>startThread(name, body)</c>, so it decides what a failing body does (the
/// gateway logs, counts and runs it again with back-off); a worker's registrations and handler survive such a restart.
/// </remarks>
public sealed class TunWorkerPool<T> : IDisposable
    where T : class
{
    /// <summary>How often an owner that asked for it is serviced without frames, at most.</summary>
    public const int ServiceIntervalMilliseconds = 20;

    // An idle worker still turns now and then, so a stop or a loop fault is seen even without a wake-up.
    private const int IdleWaitMilliseconds = 500;
    private const int EventsPerWait = 64;

    private readonly Worker[] _workers;
    private readonly Action<string, Action> _startThread;
    private readonly ConcurrentDictionary<TunDevice, Registration[]> _registrations = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _changes = new();
    private long _nextToken;
    private bool _started;
    private volatile bool _stopping;

    /// <param name="workerCount">Worker threads; at least one (the gateway uses one per core).</param>
    /// <param name="createHandler">Makes each worker's handler.</param>
    /// <param name="startThread">Starts a named thread running the body (the host's restart policy around it).</param>
    /// <param name="namePrefix">Worker thread names are the prefix and the worker's number.</param>
    public TunWorkerPool(int workerCount, Func<ITunFrameHandler<T>> createHandler, Action<string, Action> startThread, string namePrefix = "tun-worker")
        : this(workerCount, _ => createHandler(), startThread, namePrefix)
    {
        ArgumentNullException.ThrowIfNull(createHandler);
    }

    /// <param name="workerCount">Worker threads; at least one (the gateway uses one per core).</param>
    /// <param name="createHandler">Makes each worker's handler, given the worker's number (0 to <paramref name="workerCount"/> - 1).</param>
    /// <param name="startThread">Starts a named thread running the body (the host's restart policy around it).</param>
    /// <param name="namePrefix">Worker thread names are the prefix and the worker's number.</param>
    public TunWorkerPool(int workerCount, Func<int, ITunFrameHandler<T>> createHandler, Action<string, Action> startThread, string namePrefix = "tun-worker")
    {
        ArgumentNullException.ThrowIfNull(createHandler);
        ArgumentNullException.ThrowIfNull(startThread);
        _startThread = startThread;
        _workers = new Worker[Math.Max(1, workerCount)];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Worker($"{namePrefix}-{i}", new EpollSet(EventsPerWait), createHandler(i));
        }
    }

    public int WorkerCount => _workers.Length;

    /// <summary>Devices registered now.</summary>
    public int DeviceCount => _registrations.Count;

    /// <summary>
    /// Serves <paramref name="device"/> from now on, handing <paramref name="owner"/> to the handler: a single-queue device
    /// on the worker serving fewest, each queue of a multi-queue device on the worker of its number. Starts the workers at the first device.
    /// </summary>
    /// <exception cref="InvalidOperationException">The device is registered already.</exception>
    /// <exception cref="IOException">The kernel refused to watch the device.</exception>
    public void Add(TunDevice device, T owner)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(owner);
        lock (_changes)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            var registrations = new Registration[device.QueueCount];
            if (!_registrations.TryAdd(device, registrations))
            {
                throw new InvalidOperationException($"TUN device {device.Name} is served already.");
            }

            try
            {
                for (var queue = 0; queue < registrations.Length; queue++)
                {
                    var worker = registrations.Length == 1 ? _workers.MinBy(w => w.Devices.Count)! : _workers[queue % _workers.Length];
                    var registration = new Registration(device, queue, owner, (ulong)++_nextToken, worker);
                    worker.Devices[registration.Token] = registration;
                    registrations[queue] = registration;
                    worker.Poll.Add(device.QueueHandle(queue), registration.Token);
                }
            }
            catch
            {
                Unregister(registrations);
                _registrations.TryRemove(device, out _);
                throw;
            }

            StartWorkers();
        }
    }

    /// <summary>Stops serving a device; false if it was not registered. The caller may dispose the device right after.</summary>
    public bool Remove(TunDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        lock (_changes)
        {
            if (!_registrations.TryRemove(device, out var registrations))
            {
                return false;
            }

            Unregister(registrations);
            return true;
        }
    }

    private static void Unregister(Registration?[] registrations)
    {
        foreach (var registration in registrations)
        {
            if (registration is null)
            {
                continue;
            }

            registration.Removed = true;
            registration.Worker.Devices.TryRemove(registration.Token, out _);
            registration.Worker.Poll.Remove(registration.Device.QueueHandle(registration.Queue));
        }
    }

    /// <summary>Stops the workers (each disposes its handler as it ends) and forgets every device; the devices stay open.</summary>
    public void Dispose()
    {
        lock (_changes)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
        }

        foreach (var worker in _workers)
        {
            worker.Poll.Wake();
        }

        if (!_started)
        {
            DisposeWorkers();
        }
    }

    private void StartWorkers()
    {
        if (_started)
        {
            return;
        }

        _started = true;
        foreach (var worker in _workers)
        {
            _startThread(worker.Name, () => Run(worker));
        }
    }

    private void DisposeWorkers()
    {
        foreach (var worker in _workers)
        {
            worker.Stop();
        }
    }

    /// <summary>One worker's loop: wait on its devices, hand the ready ones to the handler, service those that asked.</summary>
    private void Run(Worker worker)
    {
        Span<ulong> tokens = stackalloc ulong[EventsPerWait];
        try
        {
            while (!_stopping)
            {
                worker.Handler.Turn(worker.Name);
                int count = worker.Poll.Wait(tokens, worker.Waiting.Count > 0 ? ServiceIntervalMilliseconds : IdleWaitMilliseconds);
                if (count < 0 || _stopping)
                {
                    return;
                }

                worker.Turn++;
                worker.NextWaiting.Clear();
                for (int i = 0; i < count; i++)
                {
                    if (worker.Devices.TryGetValue(tokens[i], out var registration))
                    {
                        registration.LastTurn = worker.Turn;
                        Serve(worker, registration, readable: true);
                    }
                }

                foreach (var registration in worker.Waiting)
                {
                    if (registration.LastTurn != worker.Turn)
                    {
                        Serve(worker, registration, readable: false);
                    }
                }

                (worker.Waiting, worker.NextWaiting) = (worker.NextWaiting, worker.Waiting);
            }
        }
        finally
        {
            if (_stopping)
            {
                worker.Stop();
            }
        }
    }

    private void Serve(Worker worker, Registration registration, bool readable)
    {
        if (registration.Removed)
        {
            return;
        }

        bool again;
        try
        {
            again = readable ? worker.Handler.Readable(registration.Owner, registration.Queue) : worker.Handler.Service(registration.Owner);
        }
        catch (ObjectDisposedException ex) when (!_stopping)
        {
            // A closed device or socket must not end a thread that serves other devices: the host restarts it instead.
            throw new InvalidOperationException($"serving TUN device {registration.Device.Name} met a disposed object", ex);
        }

        if (again)
        {
            worker.NextWaiting.Add(registration);
        }
    }

    private sealed class Registration(TunDevice device, int queue, T owner, ulong token, Worker worker)
    {
        public TunDevice Device { get; } = device;

        /// <summary>The device's queue this registration reads (0 on a single-queue device).</summary>
        public int Queue { get; } = queue;

        public T Owner { get; } = owner;

        public ulong Token { get; } = token;

        public Worker Worker { get; } = worker;

        public volatile bool Removed;

        /// <summary>The worker turn in which the device was last readable (only its worker touches it).</summary>
        public long LastTurn;
    }

    private sealed class Worker(string name, EpollSet poll, ITunFrameHandler<T> handler)
    {
        private int _stopped;

        public string Name { get; } = name;

        public EpollSet Poll { get; } = poll;

        public ITunFrameHandler<T> Handler { get; } = handler;

        public ConcurrentDictionary<ulong, Registration> Devices { get; } = new();

        public List<Registration> Waiting { get; set; } = [];

        public List<Registration> NextWaiting { get; set; } = [];

        public long Turn { get; set; }

        public void Stop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 0)
            {
                Handler.Dispose();
                Poll.Dispose();
            }
        }
    }
}
