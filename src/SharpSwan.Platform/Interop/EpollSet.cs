using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SharpSwan.Platform.Interop;

/// <summary>
/// One epoll instance (level-triggered) and an eventfd that <see cref="Wake"/> signals, so a thread parked in
/// <see cref="Wait"/> returns at once. Descriptors are registered with a caller-chosen token (never 0, which is the wake-up's):
/// a token outlives nothing, so a descriptor number reused after a close can never be mistaken for the old one.
/// <see cref="Wait"/> is for one thread at a time; <see cref="Add"/>, <see cref="Remove"/> and <see cref="Wake"/> for any.
/// </summary>
internal sealed unsafe class EpollSet : IDisposable
{
    private const ulong WakeToken = 0;

    // struct epoll_event is packed on x86-64 (events at 0, data at 4) and 8-aligned elsewhere (data at 8).
    private static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = EventSize - sizeof(ulong);

    private readonly FileDescriptorHandle _epoll;
    private readonly FileDescriptorHandle _wakeUp;
    private readonly byte[] _events;

    public EpollSet(int capacity)
    {
        int epollFd = LibC.EpollCreate(LibC.EpollCloseOnExec);
        if (epollFd < 0)
        {
            throw new IOException($"epoll_create1 failed: {LibC.ErrorText(Marshal.GetLastPInvokeError())}");
        }

        _epoll = new FileDescriptorHandle(epollFd);
        int wakeFd = LibC.EventFd(0, LibC.EventFdCloseOnExec | LibC.EventFdNonBlocking);
        if (wakeFd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            _epoll.Dispose();
            throw new IOException($"cannot create eventfd for epoll: {LibC.ErrorText(errno)}");
        }

        _wakeUp = new FileDescriptorHandle(wakeFd);
        _events = new byte[capacity * EventSize];
        Control(LibC.EpollControlAdd, _wakeUp, WakeToken);
    }

    /// <summary>Watches <paramref name="descriptor"/> for input; <paramref name="token"/> is what <see cref="Wait"/> reports for it.</summary>
    /// <exception cref="IOException">The kernel refused.</exception>
    /// <exception cref="ObjectDisposedException">The descriptor is already closed.</exception>
    public void Add(FileDescriptorHandle descriptor, ulong token)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(token, WakeToken);
        if (!Control(LibC.EpollControlAdd, descriptor, token))
        {
            throw new IOException($"epoll_ctl ADD failed: {LibC.ErrorText(Marshal.GetLastPInvokeError())}");
        }
    }

    /// <summary>Stops watching a descriptor. A closed one is already gone from the set (the kernel drops it at close).</summary>
    public void Remove(FileDescriptorHandle descriptor)
    {
        try
        {
            Control(LibC.EpollControlDelete, descriptor, 0);
        }
        catch (ObjectDisposedException)
        {
            // Closed already: the kernel removed it with the file.
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMilliseconds"/> for input on any watched descriptor and writes the tokens of the
    /// ready ones to <paramref name="tokens"/>.
    /// </summary>
    /// <returns>How many tokens were written (0 on timeout or wake-up); -1 once the set is disposed.</returns>
    public int Wait(Span<ulong> tokens, int timeoutMilliseconds)
    {
        bool referenced = false;
        try
        {
            _epoll.DangerousAddRef(ref referenced);
            int max = Math.Min(tokens.Length, _events.Length / EventSize);
            int ready;
            fixed (byte* events = _events)
            {
                ready = LibC.EpollWait(_epoll.Descriptor, events, max, timeoutMilliseconds);
            }

            if (ready < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                return errno == LibC.EINTR ? 0 : throw new IOException($"epoll_wait failed: {LibC.ErrorText(errno)}");
            }

            int count = 0;
            for (int i = 0; i < ready; i++)
            {
                ulong token = Unsafe.ReadUnaligned<ulong>(ref _events[i * EventSize + DataOffset]);
                if (token == WakeToken)
                {
                    DrainWakeUp();
                    continue;
                }

                tokens[count++] = token;
            }

            return count;
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
        finally
        {
            if (referenced)
            {
                _epoll.DangerousRelease();
            }
        }
    }

    /// <summary>Makes the current or next <see cref="Wait"/> return at once.</summary>
    public void Wake() => _wakeUp.Signal();

    public void Dispose()
    {
        Wake();
        _epoll.Dispose();
        _wakeUp.Dispose();
    }

    private void DrainWakeUp()
    {
        ulong value;
        LibC.Read(_wakeUp.Descriptor, (byte*)&value, sizeof(ulong));
    }

    /// <summary>epoll_ctl with both descriptors referenced, so neither number can be closed and reused meanwhile.</summary>
    private bool Control(int operation, FileDescriptorHandle descriptor, ulong token)
    {
        bool epollReferenced = false;
        bool descriptorReferenced = false;
        try
        {
            _epoll.DangerousAddRef(ref epollReferenced);
            descriptor.DangerousAddRef(ref descriptorReferenced);
            byte* epollEvent = stackalloc byte[16];
            new Span<byte>(epollEvent, 16).Clear();
            *(uint*)epollEvent = LibC.EpollIn;
            Unsafe.WriteUnaligned(epollEvent + DataOffset, token);
            return LibC.EpollControl(_epoll.Descriptor, operation, descriptor.Descriptor, epollEvent) == 0;
        }
        finally
        {
            if (descriptorReferenced)
            {
                descriptor.DangerousRelease();
            }

            if (epollReferenced)
            {
                _epoll.DangerousRelease();
            }
        }
    }
}
