using System.Runtime.InteropServices;

namespace SharpSwan.Platform.Interop;

/// <summary>
/// The three io_uring system calls and the kernel structures they share with us (include/uapi/linux/io_uring.h), for
/// x86-64 and arm64 (the syscall numbers are the same on both: 425, 426, 427).
/// </summary>
internal static unsafe partial class IoUring
{
    public const int SetupCall = 425;
    public const int EnterCall = 426;

    public const uint EnterGetEvents = 1;
    public const byte OpWriteVector = 2;
    public const byte OpRead = 22;
    public const byte OpWrite = 23;

    /// <summary>RWF_NOWAIT: a read with nothing waiting completes at once with -EAGAIN instead of being parked.</summary>
    public const int ReadWriteNoWait = 0x8;

    public const long SubmissionRingOffset = 0;
    public const long CompletionRingOffset = 0x8000000;
    public const long SubmissionEntriesOffset = 0x10000000;

    /// <summary>IORING_FEAT_SINGLE_MMAP: both rings live in one mapping.</summary>
    public const uint FeatureSingleMap = 1;

    public const int ProtectRead = 1;
    public const int ProtectWrite = 2;
    public const int MapShared = 1;
    public const int MapPopulate = 0x8000;

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial long Setup(long number, uint entries, Parameters* parameters);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial long Enter(long number, int fd, uint toSubmit, uint minComplete, uint flags, void* signals, nuint signalSize);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    public static partial void* Map(void* address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    public static partial int Unmap(void* address, nuint length);

    [StructLayout(LayoutKind.Sequential)]
    public struct SubmissionRingOffsets
    {
        public uint Head;
        public uint Tail;
        public uint RingMask;
        public uint RingEntries;
        public uint Flags;
        public uint Dropped;
        public uint Array;
        public uint Reserved1;
        public ulong UserAddress;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct CompletionRingOffsets
    {
        public uint Head;
        public uint Tail;
        public uint RingMask;
        public uint RingEntries;
        public uint Overflow;
        public uint Entries;
        public uint Flags;
        public uint Reserved1;
        public ulong UserAddress;
    }

    /// <summary>struct io_uring_params (120 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Parameters
    {
        public uint SubmissionEntries;
        public uint CompletionEntries;
        public uint Flags;
        public uint SubmissionThreadCpu;
        public uint SubmissionThreadIdle;
        public uint Features;
        public uint WorkQueueFd;
        public uint Reserved0;
        public uint Reserved1;
        public uint Reserved2;
        public SubmissionRingOffsets Submission;
        public CompletionRingOffsets Completion;
    }

    /// <summary>struct io_uring_sqe (64 bytes), the fields a read or write uses.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    public struct SubmissionEntry
    {
        [FieldOffset(0)] public byte Opcode;
        [FieldOffset(1)] public byte Flags;
        [FieldOffset(2)] public ushort Priority;
        [FieldOffset(4)] public int Fd;
        [FieldOffset(8)] public ulong Offset;
        [FieldOffset(16)] public ulong Address;
        [FieldOffset(24)] public uint Length;
        [FieldOffset(28)] public int ReadWriteFlags;
        [FieldOffset(32)] public ulong UserData;
    }

    /// <summary>struct io_uring_cqe (16 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct CompletionEntry
    {
        public ulong UserData;
        public int Result;
        public uint Flags;
    }
}
