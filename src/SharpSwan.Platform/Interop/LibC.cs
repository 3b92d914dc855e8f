using System.Runtime.InteropServices;

namespace SharpSwan.Platform.Interop;

/// <summary>
/// The few libc entry points the platform layer needs. All signatures are blittable so the
/// generated stubs never allocate; callers pin spans with <c>fixed</c>.
/// </summary>
internal static unsafe partial class LibC
{
    private const string Library = "libc";

    public const int OpenReadWrite = 0x2;
    public const int OpenNonBlocking = 0x800;
    public const int OpenCloseOnExec = 0x80000;

    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int ENODEV = 19;
    public const int ENOBUFS = 105;

    public const short PollIn = 0x001;
    public const short PollError = 0x008;
    public const short PollHangUp = 0x010;
    public const short PollInvalid = 0x020;

    public const int EventFdCloseOnExec = 0x80000;
    public const int EventFdNonBlocking = 0x800;

    public const int AddressFamilyNetlink = 16;
    public const int SocketRaw = 3;
    public const int SocketCloseOnExec = 0x80000;
    public const int NetlinkRoute = 0;
    public const int NetlinkNetfilter = 12;

    public const int SolSocket = 1;
    public const int SoReceiveTimeout = 20;
    public const int SoReceiveBufferForce = 33;
    public const int SolNetlink = 270;
    public const int NetlinkAddMembership = 1;
    public const int NetlinkCapAck = 10;
    public const int NetlinkExtendedAck = 11;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollDescriptor
    {
        public int FileDescriptor;
        public short Events;
        public short ReturnedEvents;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct TimeValue
    {
        public long Seconds;
        public long Microseconds;
    }

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollDescriptor* descriptors, nuint count, int timeoutMilliseconds);

    // ioctl is variadic in C; on x86-64 and arm64 Linux a pointer third argument is passed exactly like a fixed one.
    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoControl(int fd, nuint request, void* argument);

    [LibraryImport(Library, EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initialValue, int flags);

    [LibraryImport(Library, EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Library, EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSocketOption(int fd, int level, int option, void* value, uint valueLength);

    [LibraryImport(Library, EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(int fd, void* address, uint addressLength);

    [LibraryImport(Library, EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(Library, EntryPoint = "recv", SetLastError = true)]
    public static partial nint Receive(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(Library, EntryPoint = "recvfrom", SetLastError = true)]
    public static partial nint ReceiveFrom(int fd, byte* buffer, nuint length, int flags, byte* address, uint* addressLength);

    public const int MessageDontWait = 0x40;
    public const short PollOut = 0x004;

    /// <summary>struct iovec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    /// <summary>struct msghdr (x86-64 / arm64 layout).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MessageHeader
    {
        public byte* Name;
        public uint NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public byte* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>struct mmsghdr: one message of a sendmmsg/recvmmsg batch.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MultiMessageHeader
    {
        public MessageHeader Header;
        public uint Length;
    }

    [LibraryImport(Library, EntryPoint = "readv", SetLastError = true)]
    public static partial nint ReadVector(int fd, IoVector* vectors, int count);

    [LibraryImport(Library, EntryPoint = "writev", SetLastError = true)]
    public static partial nint WriteVector(int fd, IoVector* vectors, int count);

    [LibraryImport(Library, EntryPoint = "sendmmsg", SetLastError = true)]
    public static partial int SendMultipleMessages(int fd, MultiMessageHeader* messages, uint count, int flags);

    [LibraryImport(Library, EntryPoint = "recvmmsg", SetLastError = true)]
    public static partial int ReceiveMultipleMessages(int fd, MultiMessageHeader* messages, uint count, int flags, void* timeout);

    // ioctl with an integer (not pointer) argument, e.g. TUNSETOFFLOAD.
    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoControlValue(int fd, nuint request, nuint argument);

    [LibraryImport(Library, EntryPoint = "if_nametoindex", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint InterfaceNameToIndex(string name);

    [LibraryImport(Library, EntryPoint = "fchmod", SetLastError = true)]
    public static partial int ChangeModeOfDescriptor(int fd, uint mode);

    [LibraryImport(Library, EntryPoint = "chmod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ChangeMode(string path, uint mode);

    [LibraryImport(Library, EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();

    public const int EpollCloseOnExec = 0x80000;
    public const int EpollControlAdd = 1;
    public const int EpollControlDelete = 2;
    public const uint EpollIn = 0x001;

    [LibraryImport(Library, EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate(int flags);

    // struct epoll_event is packed (12 bytes) on x86-64 and naturally aligned (16 bytes) elsewhere: callers pass raw bytes.
    [LibraryImport(Library, EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int EpollControl(int epollFd, int operation, int fd, byte* epollEvent);

    [LibraryImport(Library, EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int EpollWait(int epollFd, byte* events, int maxEvents, int timeoutMilliseconds);

    public const ushort AddressFamilyInet = 2;

    /// <summary>struct ifaddrs: one address of one interface, in the list getifaddrs() returns.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct InterfaceAddresses
    {
        public InterfaceAddresses* Next;
        public byte* Name;
        public uint Flags;
        public byte* Address;
        public byte* Netmask;
        public byte* BroadcastOrDestination;
        public void* Data;
    }

    [LibraryImport(Library, EntryPoint = "getifaddrs", SetLastError = true)]
    public static partial int GetInterfaceAddresses(InterfaceAddresses** list);

    [LibraryImport(Library, EntryPoint = "freeifaddrs")]
    public static partial void FreeInterfaceAddresses(InterfaceAddresses* list);

    /// <summary>The text libc gives for an errno value, e.g. "File exists" for EEXIST.</summary>
    public static string ErrorText(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
