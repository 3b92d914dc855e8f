namespace SharpSwan.Platform;

/// <summary>
/// What a <see cref="TunWorkerPool{T}"/> worker does with the devices it serves. One handler per worker, called only on
/// that worker's thread, so it may keep per-thread buffers; it is disposed when the worker stops for good.
/// </summary>
/// <typeparam name="T">What the host registered with each device (for the gateway: the tunnel's path).</typeparam>
public interface ITunFrameHandler<in T> : IDisposable
{
    /// <summary>Called at each turn of the worker's loop, before it waits (fault injection, housekeeping).</summary>
    void Turn(string workerName);

    /// <summary>
    /// The owner's device has frames waiting: read some without waiting (<see cref="TunDevice.TryReadFrame"/>) and handle
    /// them; what is left is reported again at the next turn. Returns true while the owner wants <see cref="Service"/>
    /// calls without new frames (packets held for an SA), false otherwise. A packet that fails is the handler's to catch.
    /// </summary>
    bool Readable(T owner);

    /// <summary>
    /// <see cref="Readable(T)"/> for one queue of a multi-queue device: read that queue (<see cref="TunDevice.TryReadFrame(Span{byte}, int)"/>),
    /// the one this worker owns. A single-queue device reports queue 0.
    /// </summary>
    bool Readable(T owner, int queue) => Readable(owner);

    /// <summary>Called at each turn (at most <see cref="TunWorkerPool{T}.ServiceIntervalMilliseconds"/> apart) while the last call for the owner returned true.</summary>
    bool Service(T owner);
}
