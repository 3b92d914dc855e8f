using System.Runtime.InteropServices;

namespace SharpSwan.Platform.Interop;

/// <summary>
/// One io_uring used synchronously: the caller fills up to <see cref="Entries"/> submission entries, <see cref="Run"/>
/// submits them with one io_uring_enter and waits for all their completions, which it hands back in the order the
/// kernel finished them. Used for batches of non-waiting reads and writes on TUN devices, which the kernel runs in order
/// inside the call. Owned by one thread.
/// </summary>
internal sealed unsafe class IoUringQueue : IDisposable
{
    private readonly FileDescriptorHandle _ring;
    private readonly byte* _rings;
    private readonly nuint _ringsLength;
    private readonly IoUring.SubmissionEntry* _entries;
    private readonly nuint _entriesLength;
    private readonly uint* _submissionTail;
    private readonly uint _submissionMask;
    private readonly uint* _submissionArray;
    private readonly uint* _completionHead;
    private readonly uint* _completionTail;
    private readonly uint _completionMask;
    private readonly IoUring.CompletionEntry* _completions;
    private bool _disposed;

    private IoUringQueue(FileDescriptorHandle ring, in IoUring.Parameters parameters, byte* rings, nuint ringsLength, IoUring.SubmissionEntry* entries, nuint entriesLength)
    {
        _ring = ring;
        _rings = rings;
        _ringsLength = ringsLength;
        _entries = entries;
        _entriesLength = entriesLength;
        _submissionTail = (uint*)(rings + parameters.Submission.Tail);
        _submissionMask = *(uint*)(rings + parameters.Submission.RingMask);
        _submissionArray = (uint*)(rings + parameters.Submission.Array);
        _completionHead = (uint*)(rings + parameters.Completion.Head);
        _completionTail = (uint*)(rings + parameters.Completion.Tail);
        _completionMask = *(uint*)(rings + parameters.Completion.RingMask);
        _completions = (IoUring.CompletionEntry*)(rings + parameters.Completion.Entries);
        Entries = (int)parameters.SubmissionEntries;
    }

    /// <summary>The most entries one <see cref="Run"/> takes.</summary>
    public int Entries { get; }

    /// <summary>A ring of at least <paramref name="entries"/> entries, or null with the reason the kernel gave.</summary>
    public static IoUringQueue? TryCreate(int entries, out string? reason)
    {
        var parameters = default(IoUring.Parameters);
        var fd = (int)IoUring.Setup(IoUring.SetupCall, (uint)entries, &parameters);
        if (fd < 0)
        {
            reason = $"io_uring_setup: {LibC.ErrorText(Marshal.GetLastPInvokeError())}";
            return null;
        }

        var ring = new FileDescriptorHandle(fd);
        if ((parameters.Features & IoUring.FeatureSingleMap) == 0)
        {
            ring.Dispose();
            reason = "io_uring without single-mmap rings (kernel older than 5.4)";
            return null;
        }

        const int readWrite = IoUring.ProtectRead | IoUring.ProtectWrite;
        const int shared = IoUring.MapShared | IoUring.MapPopulate;
        var submissionLength = parameters.Submission.Array + (parameters.SubmissionEntries * sizeof(uint));
        var completionLength = parameters.Completion.Entries + (parameters.CompletionEntries * (uint)sizeof(IoUring.CompletionEntry));
        var ringsLength = (nuint)Math.Max(submissionLength, completionLength);
        var rings = (byte*)IoUring.Map(null, ringsLength, readWrite, shared, fd, IoUring.SubmissionRingOffset);
        if (rings == (byte*)-1)
        {
            reason = $"mmap of the io_uring rings: {LibC.ErrorText(Marshal.GetLastPInvokeError())}";
            ring.Dispose();
            return null;
        }

        var entriesLength = parameters.SubmissionEntries * (nuint)sizeof(IoUring.SubmissionEntry);
        var entryArray = (IoUring.SubmissionEntry*)IoUring.Map(null, entriesLength, readWrite, shared, fd, IoUring.SubmissionEntriesOffset);
        if (entryArray == (IoUring.SubmissionEntry*)-1)
        {
            reason = $"mmap of the io_uring entries: {LibC.ErrorText(Marshal.GetLastPInvokeError())}";
            IoUring.Unmap(rings, ringsLength);
            ring.Dispose();
            return null;
        }

        reason = null;
        return new IoUringQueue(ring, parameters, rings, ringsLength, entryArray, entriesLength);
    }

    /// <summary>
    /// Entry <paramref name="index"/> (0 to <see cref="Entries"/> - 1) of the next <see cref="Run"/>, cleared, with
    /// <paramref name="index"/> as its user data.
    /// </summary>
    public ref IoUring.SubmissionEntry Prepare(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Entries, nameof(index));
        var slot = (*_submissionTail + (uint)index) & _submissionMask;
        _submissionArray[slot] = slot;
        _entries[slot] = new IoUring.SubmissionEntry { UserData = (ulong)index };
        return ref _entries[slot];
    }

    /// <summary>
    /// Submits the first <paramref name="count"/> prepared entries and waits until all have completed; writes each
    /// completion's user data and result to <paramref name="order"/> and <paramref name="results"/> in completion order.
    /// </summary>
    /// <exception cref="IOException">io_uring_enter failed.</exception>
    public void Run(int count, Span<int> order, Span<int> results)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Entries);
        Volatile.Write(ref *_submissionTail, *_submissionTail + (uint)count);
        var unsubmitted = (uint)count;
        var completed = 0;
        while (completed < count)
        {
            var result = IoUring.Enter(IoUring.EnterCall, _ring.Descriptor, unsubmitted, (uint)(count - completed), IoUring.EnterGetEvents, null, 0);
            if (result < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno != LibC.EINTR)
                {
                    throw new IOException($"io_uring_enter failed: {LibC.ErrorText(errno)}");
                }
            }
            else
            {
                unsubmitted -= (uint)Math.Min(result, unsubmitted);
            }

            var head = *_completionHead;
            var tail = Volatile.Read(ref *_completionTail);
            for (; head != tail && completed < count; head++, completed++)
            {
                var completion = _completions[head & _completionMask];
                order[completed] = (int)completion.UserData;
                results[completed] = completion.Result;
            }

            Volatile.Write(ref *_completionHead, head);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        IoUring.Unmap(_entries, _entriesLength);
        IoUring.Unmap(_rings, _ringsLength);
        _ring.Dispose();
    }
}
