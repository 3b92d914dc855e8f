using System.Runtime.InteropServices;
using System.Text;

namespace SharpSwan.Platform.Interop;

/// <summary>
/// A short-lived AF_NETLINK socket (rtnetlink, or nfnetlink for connection tracking) that sends one request at a time and
/// insists on the kernel's answer: its ACK, or the end of a dump. One socket per operation keeps its callers stateless and
/// thread-safe; their requests are rare.
/// </summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    public const ushort FlagRequest = 0x1;
    public const ushort FlagAck = 0x4;
    public const ushort FlagDump = 0x300;
    public const ushort FlagReplace = 0x100;
    public const ushort FlagExclusive = 0x200;
    public const ushort FlagCreate = 0x400;

    private const ushort MessageError = 2;
    private const ushort MessageDone = 3;
    private const ushort AckFlagCapped = 0x100;
    private const ushort AckFlagHasTlvs = 0x200;
    private const ushort ErrorAttributeMessage = 1;
    private const int ReceiveTimeoutSeconds = 5;

    private static int _lastSequence = Environment.TickCount;

    private readonly FileDescriptorHandle _handle;
    private readonly byte[] _receiveBuffer = new byte[64 * 1024]; // a dump datagram of ctnetlink can reach 32 KiB

    private NetlinkSocket(FileDescriptorHandle handle) => _handle = handle;

    public static uint NextSequence() => (uint)Interlocked.Increment(ref _lastSequence);

    /// <summary>Opens the socket of <paramref name="protocol"/>; a failure is reported against <paramref name="operation"/>.</summary>
    public static NetlinkSocket Open(string operation, int protocol = LibC.NetlinkRoute)
    {
        int fd = LibC.Socket(LibC.AddressFamilyNetlink, LibC.SocketRaw | LibC.SocketCloseOnExec, protocol);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new NetlinkException(operation, errno, LibC.ErrorText(errno), "cannot open netlink socket");
        }

        var socket = new NetlinkSocket(new FileDescriptorHandle(fd));

        // A missing ACK must not hang the gateway forever.
        var timeout = new LibC.TimeValue { Seconds = ReceiveTimeoutSeconds };
        LibC.SetSocketOption(fd, LibC.SolSocket, LibC.SoReceiveTimeout, &timeout, (uint)sizeof(LibC.TimeValue));

        // Best effort: short error echoes plus the kernel's human-readable reason, when it has one.
        int enable = 1;
        LibC.SetSocketOption(fd, LibC.SolNetlink, LibC.NetlinkCapAck, &enable, sizeof(int));
        LibC.SetSocketOption(fd, LibC.SolNetlink, LibC.NetlinkExtendedAck, &enable, sizeof(int));
        return socket;
    }

    /// <summary>
    /// Opens a socket of <paramref name="protocol"/> that listens to the multicast <paramref name="group"/> (events the kernel
    /// sends unasked, e.g. nftables traces), with a receive timeout of <paramref name="pollMilliseconds"/> so its reader can
    /// look up now and then. Needs CAP_NET_ADMIN for nfnetlink groups.
    /// </summary>
    public static NetlinkSocket Subscribe(string operation, int protocol, int group, int pollMilliseconds)
    {
        var socket = Open(operation, protocol);
        int fd = socket._handle.Descriptor;
        var timeout = new LibC.TimeValue { Seconds = pollMilliseconds / 1000, Microseconds = pollMilliseconds % 1000 * 1000 };
        LibC.SetSocketOption(fd, LibC.SolSocket, LibC.SoReceiveTimeout, &timeout, (uint)sizeof(LibC.TimeValue));

        // Best effort: a burst of events should not overrun the default buffer (SO_RCVBUFFORCE needs CAP_NET_ADMIN).
        int size = 4 * 1024 * 1024;
        LibC.SetSocketOption(fd, LibC.SolSocket, LibC.SoReceiveBufferForce, &size, sizeof(int));
        // Bound (the kernel picks the port id): group messages come from port 0 and skip sockets that still have port 0.
        Span<byte> address = stackalloc byte[12]; // struct sockaddr_nl: family, pad, pid 0, groups 0
        address[0] = (byte)LibC.AddressFamilyNetlink;
        int bound;
        fixed (byte* bytes = address)
        {
            bound = LibC.Bind(fd, bytes, (uint)address.Length);
        }

        if (bound != 0 || LibC.SetSocketOption(fd, LibC.SolNetlink, LibC.NetlinkAddMembership, &group, sizeof(int)) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            socket.Dispose();
            throw new NetlinkException(operation, errno, LibC.ErrorText(errno), "cannot join the netlink group");
        }

        return socket;
    }

    /// <summary>
    /// Waits up to the poll interval for one datagram of events: it, or empty when none came. <paramref name="overrun"/>
    /// says the kernel dropped events because the buffer was full (ENOBUFS); the socket goes on after that.
    /// </summary>
    public ReadOnlySpan<byte> ReceiveEvents(string operation, out bool overrun)
    {
        overrun = false;
        if (TryReceive(out var datagram, out int errno))
        {
            return datagram;
        }

        switch (errno)
        {
            case LibC.EAGAIN:
                return [];
            case LibC.ENOBUFS:
                overrun = true;
                return [];
            default:
                throw new NetlinkException(operation, errno, LibC.ErrorText(errno));
        }
    }

    /// <summary>Sends <paramref name="request"/> (built with NLM_F_ACK) and returns once the kernel acknowledged it.</summary>
    /// <exception cref="NetlinkException">The kernel answered with an error, or did not answer.</exception>
    public void Execute(string operation, ReadOnlySpan<byte> request, uint sequence)
    {
        Send(operation, request);
        while (!TryFindAcknowledgement(operation, ReceiveDatagram(operation), sequence))
        {
        }
    }

    /// <summary>
    /// Sends a dump request (built with NLM_F_DUMP) and returns the answering messages (each with its header) up to the
    /// kernel's NLMSG_DONE. Copies: dumps are rare administrative requests.
    /// </summary>
    /// <exception cref="NetlinkException">The kernel answered with an error, or stopped answering.</exception>
    public List<byte[]> Dump(string operation, ReadOnlySpan<byte> request, uint sequence)
    {
        var messages = new List<byte[]>();
        Send(operation, request);
        while (true)
        {
            var reader = new NetlinkMessageReader(ReceiveDatagram(operation));
            while (reader.MoveNext())
            {
                var message = reader.Current;
                if (MemoryMarshal.Read<uint>(message[8..]) != sequence)
                {
                    continue;
                }

                ushort type = MemoryMarshal.Read<ushort>(message[4..]);
                if (type == MessageDone)
                {
                    return messages;
                }

                if (type == MessageError)
                {
                    int error = message.Length >= NetlinkMessageWriter.HeaderLength + 4 ? MemoryMarshal.Read<int>(message[NetlinkMessageWriter.HeaderLength..]) : 0;
                    throw new NetlinkException(operation, -error, LibC.ErrorText(-error));
                }

                messages.Add(message.ToArray());
            }

            if (reader.Malformed)
            {
                throw new NetlinkException(operation, 0, "malformed netlink message in the dump");
            }
        }
    }

    /// <summary>
    /// Sends a request built with NLM_F_ACK that the kernel answers with messages (a route lookup), and returns those
    /// (each with its header) once it acknowledged the request.
    /// </summary>
    /// <exception cref="NetlinkException">The kernel answered with an error, or did not answer.</exception>
    public List<byte[]> Query(string operation, ReadOnlySpan<byte> request, uint sequence)
    {
        var messages = new List<byte[]>();
        Send(operation, request);
        while (true)
        {
            var datagram = ReceiveDatagram(operation);
            foreach (var message in new NetlinkMessageReader(datagram))
            {
                if (MemoryMarshal.Read<uint>(message[8..]) == sequence && MemoryMarshal.Read<ushort>(message[4..]) != MessageError)
                {
                    messages.Add(message.ToArray());
                }
            }

            if (TryFindAcknowledgement(operation, datagram, sequence))
            {
                return messages;
            }
        }
    }

    private void Send(string operation, ReadOnlySpan<byte> request)
    {
        nint sent;
        fixed (byte* bytes = request)
        {
            sent = LibC.Send(_handle.Descriptor, bytes, (nuint)request.Length, 0);
        }

        if (sent != request.Length)
        {
            int errno = sent < 0 ? Marshal.GetLastPInvokeError() : 0;
            throw new NetlinkException(operation, errno, sent < 0 ? LibC.ErrorText(errno) : "short write to netlink socket");
        }
    }

    private ReadOnlySpan<byte> ReceiveDatagram(string operation)
    {
        if (TryReceive(out var datagram, out int errno))
        {
            return datagram;
        }

        throw new NetlinkException(operation, errno, errno == LibC.EAGAIN ? "no answer from the kernel" : LibC.ErrorText(errno));
    }

    /// <summary>One datagram into the receive buffer (retrying on EINTR); false with the errno when the receive failed.</summary>
    private bool TryReceive(out ReadOnlySpan<byte> datagram, out int errno)
    {
        while (true)
        {
            nint received;
            fixed (byte* buffer = _receiveBuffer)
            {
                received = LibC.Receive(_handle.Descriptor, buffer, (nuint)_receiveBuffer.Length, 0);
            }

            if (received >= 0)
            {
                datagram = _receiveBuffer.AsSpan(0, (int)received);
                errno = 0;
                return true;
            }

            errno = Marshal.GetLastPInvokeError();
            if (errno != LibC.EINTR)
            {
                datagram = default;
                return false;
            }
        }
    }

    /// <summary>Scans one datagram of netlink messages for the answer to <paramref name="sequence"/>.</summary>
    private static bool TryFindAcknowledgement(string operation, ReadOnlySpan<byte> datagram, uint sequence)
    {
        foreach (var message in new NetlinkMessageReader(datagram))
        {
            ushort type = MemoryMarshal.Read<ushort>(message[4..]);
            ushort flags = MemoryMarshal.Read<ushort>(message[6..]);
            uint messageSequence = MemoryMarshal.Read<uint>(message[8..]);

            if (messageSequence != sequence)
            {
                continue;
            }

            if (type == MessageDone)
            {
                return true;
            }

            if (type != MessageError || message.Length < NetlinkMessageWriter.HeaderLength + 4)
            {
                continue;
            }

            int error = MemoryMarshal.Read<int>(message[NetlinkMessageWriter.HeaderLength..]);
            if (error == 0)
            {
                return true;
            }

            int errno = -error;
            throw new NetlinkException(operation, errno, LibC.ErrorText(errno), ReadExtendedAckMessage(message, flags));
        }

        return false;
    }

    /// <summary>Pulls NLMSGERR_ATTR_MSG out of an error message, if the kernel attached one.</summary>
    private static string? ReadExtendedAckMessage(ReadOnlySpan<byte> message, ushort flags)
    {
        if ((flags & AckFlagHasTlvs) == 0)
        {
            return null;
        }

        int echoedStart = NetlinkMessageWriter.HeaderLength + 4;
        if (message.Length < echoedStart + NetlinkMessageWriter.HeaderLength)
        {
            return null;
        }

        int echoedLength = (flags & AckFlagCapped) != 0
            ? NetlinkMessageWriter.HeaderLength
            : (int)MemoryMarshal.Read<uint>(message[echoedStart..]);
        int offset = echoedStart + NetlinkMessageWriter.Align(echoedLength);

        while (offset >= 0 && message.Length - offset >= 4)
        {
            ushort attributeLength = MemoryMarshal.Read<ushort>(message[offset..]);
            ushort attributeType = MemoryMarshal.Read<ushort>(message[(offset + 2)..]);
            if (attributeLength < 4 || attributeLength > message.Length - offset)
            {
                return null;
            }

            if (attributeType == ErrorAttributeMessage)
            {
                ReadOnlySpan<byte> text = message.Slice(offset + 4, attributeLength - 4);
                int end = text.IndexOf((byte)0);
                string detail = Encoding.UTF8.GetString(end < 0 ? text : text[..end]).Trim();
                return detail.Length == 0 ? null : detail;
            }

            offset += NetlinkMessageWriter.Align(attributeLength);
        }

        return null;
    }

    public void Dispose() => _handle.Dispose();
}
