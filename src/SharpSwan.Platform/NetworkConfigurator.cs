using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using SharpSwan.Platform.Interop;

namespace SharpSwan.Platform;

/// <summary>
/// Configures links, addresses and routes by talking rtnetlink to the kernel directly (no <c>ip</c> processes).
/// Every request asks for an ACK and a kernel error becomes a <see cref="NetlinkException"/> that names the
/// operation, e.g. "add route 10.2.0.0/24 dev to-branch: File exists". Needs CAP_NET_ADMIN.
/// </summary>
public static class NetworkConfigurator
{
    private const ushort NewLink = 16;
    private const ushort GetLinks = 18;
    private const ushort NewAddress = 20;
    private const ushort DeleteAddressMessage = 21;
    private const ushort NewRoute = 24;
    private const ushort DeleteRouteMessage = 25;
    private const ushort GetRouteMessage = 26;

    private const ushort LinkAttributeName = 3;
    private const ushort LinkAttributeMtu = 4;
    private const ushort AddressAttributeAddress = 1;
    private const ushort AddressAttributeLocal = 2;
    private const ushort RouteAttributeDestination = 1;
    private const ushort RouteAttributeOutputInterface = 4;
    private const ushort RouteAttributeGateway = 5;
    private const ushort RouteAttributePriority = 6;
    private const ushort RouteAttributeMark = 16;

    private const uint InterfaceFlagUp = 0x1;
    private const byte FamilyIPv4 = 2;
    private const byte FamilyIPv6 = 10;
    private const byte RouteTableMain = 254;
    private const byte RouteTypeUnicast = 1;
    private const byte RouteTypeBlackhole = 6;
    private const byte ScopeUniverse = 0;
    private const byte ScopeLink = 253;
    private const byte ScopeNowhere = 255;

    /// <summary>
    /// RTPROT_STATIC: "route installed by administrator". <c>ip route</c> shows it as "proto static", which marks
    /// the routes as ours rather than the kernel's connected routes.
    /// </summary>
    public const byte RouteProtocol = 4;

    private const int RequestBufferSize = 256;
    private const int InterfaceInfoSize = 16;
    private const int AddressInfoSize = 8;
    private const int RouteInfoSize = 12;

    private const ushort AddFlags = NetlinkSocket.FlagRequest | NetlinkSocket.FlagAck
        | NetlinkSocket.FlagCreate | NetlinkSocket.FlagReplace;

    /// <summary>Sets IFF_UP on the interface (<c>ip link set dev X up</c>).</summary>
    public static void SetLinkUp(string ifName)
    {
        InterfaceName.Validate(ifName, nameof(ifName));
        string operation = $"set link up dev {ifName}";
        int index = ResolveIndex(operation, ifName);

        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        uint sequence = NetlinkSocket.NextSequence();
        var writer = new NetlinkMessageWriter(buffer, NewLink, NetlinkSocket.FlagRequest | NetlinkSocket.FlagAck, sequence);
        WriteInterfaceInfo(writer.AppendFixedHeader(InterfaceInfoSize), index, flags: InterfaceFlagUp, change: InterfaceFlagUp);
        Execute(operation, writer.Complete(), sequence);
    }

    /// <summary>Sets the interface MTU (<c>ip link set dev X mtu N</c>); the kernel rejects values outside the device's range.</summary>
    public static void SetMtu(string ifName, int mtu)
    {
        InterfaceName.Validate(ifName, nameof(ifName));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mtu);
        string operation = $"set mtu {mtu} dev {ifName}";
        int index = ResolveIndex(operation, ifName);

        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        uint sequence = NetlinkSocket.NextSequence();
        var writer = new NetlinkMessageWriter(buffer, NewLink, NetlinkSocket.FlagRequest | NetlinkSocket.FlagAck, sequence);
        WriteInterfaceInfo(writer.AppendFixedHeader(InterfaceInfoSize), index, flags: 0, change: 0);
        writer.AddAttribute(LinkAttributeMtu, (uint)mtu);
        Execute(operation, writer.Complete(), sequence);
    }

    /// <summary>
    /// Adds <paramref name="address"/>/<paramref name="prefixLength"/> to the interface (<c>ip addr add</c>). Like
    /// <c>ip addr add</c> it refuses an address the interface already has ("File exists"). The kernel also adds the
    /// connected route for the prefix.
    /// </summary>
    public static void AddAddress(string ifName, IPAddress address, int prefixLength) =>
        ChangeAddress(
            "add",
            NewAddress,
            NetlinkSocket.FlagRequest | NetlinkSocket.FlagAck | NetlinkSocket.FlagCreate | NetlinkSocket.FlagExclusive,
            ifName,
            address,
            address,
            prefixLength);

    /// <summary>
    /// Adds a point-to-point address (<c>ip addr add LOCAL peer PEER/PREFIX</c>): <paramref name="local"/> is this end,
    /// and the kernel's connected route covers <paramref name="peer"/>/<paramref name="prefixLength"/> through the interface.
    /// </summary>
    public static void AddPeerAddress(string ifName, IPAddress local, IPAddress peer, int prefixLength) =>
        ChangeAddress(
            "add",
            NewAddress,
            NetlinkSocket.FlagRequest | NetlinkSocket.FlagAck | NetlinkSocket.FlagCreate | NetlinkSocket.FlagExclusive,
            ifName,
            local,
            peer,
            prefixLength);

    /// <summary>Removes a point-to-point address added by <see cref="AddPeerAddress"/>.</summary>
    public static void DeletePeerAddress(string ifName, IPAddress local, IPAddress peer, int prefixLength) =>
        ChangeAddress("delete", DeleteAddressMessage, NetlinkSocket.FlagRequest | NetlinkSocket.FlagAck, ifName, local, peer, prefixLength);

    /// <summary>
    /// Removes <paramref name="address"/>/<paramref name="prefixLength"/> from the interface (<c>ip addr del</c>); the
    /// kernel removes its connected route with it. A missing address is an error ("Cannot assign requested address").
    /// </summary>
    public static void DeleteAddress(string ifName, IPAddress address, int prefixLength) =>
        ChangeAddress("delete", DeleteAddressMessage, NetlinkSocket.FlagRequest | NetlinkSocket.FlagAck, ifName, address, address, prefixLength);

    /// <summary>RTM_NEWADDR / RTM_DELADDR: both carry the same ifaddrmsg and local/address attributes.</summary>
    /// <remarks>IFA_LOCAL is this end; IFA_ADDRESS is the same address, or the peer's on a point-to-point link.</remarks>
    private static void ChangeAddress(string verb, ushort messageType, ushort flags, string ifName, IPAddress local, IPAddress address, int prefixLength)
    {
        InterfaceName.Validate(ifName, nameof(ifName));
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(address);
        byte family = FamilyOf(address, nameof(address));
        if (FamilyOf(local, nameof(local)) != family)
        {
            throw new ArgumentException($"Peer {address} is not in the address family of {local}.", nameof(address));
        }

        ValidatePrefixLength(address, prefixLength);
        string peer = local.Equals(address) ? "" : $"{local} peer ";
        string operation = $"{verb} address {peer}{address}/{prefixLength} dev {ifName}";
        int index = ResolveIndex(operation, ifName);

        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        uint sequence = NetlinkSocket.NextSequence();
        var writer = new NetlinkMessageWriter(buffer, messageType, flags, sequence);

        // struct ifaddrmsg { u8 family; u8 prefixlen; u8 flags; u8 scope; u32 index; }
        Span<byte> info = writer.AppendFixedHeader(AddressInfoSize);
        info[0] = family;
        info[1] = (byte)prefixLength;
        info[3] = ScopeUniverse;
        uint unsignedIndex = (uint)index;
        MemoryMarshal.Write(info[4..], in unsignedIndex);

        Span<byte> localBytes = stackalloc byte[16];
        writer.AddAttribute(AddressAttributeLocal, localBytes[..WriteAddress(local, localBytes)]);
        Span<byte> addressBytes = stackalloc byte[16];
        writer.AddAttribute(AddressAttributeAddress, addressBytes[..WriteAddress(address, addressBytes)]);
        Execute(operation, writer.Complete(), sequence);
    }

    /// <summary>
    /// Adds or replaces a route in the main table (<c>ip route replace</c>): RTM_NEWROUTE with NLM_F_CREATE|NLM_F_REPLACE,
    /// protocol <see cref="RouteProtocol"/>, scope link when there is no gateway. Host bits of
    /// <paramref name="destination"/> are cleared, so 10.2.0.1/24 installs 10.2.0.0/24. Because it replaces, adding
    /// the same route twice is not an error. Without <paramref name="ifName"/> the kernel picks the interface that
    /// reaches <paramref name="gateway"/> (<c>ip route replace 10.2.0.0/24 via 192.0.2.9</c>).
    /// </summary>
    public static void AddRoute(IPAddress destination, int prefixLength, string? ifName, IPAddress? gateway = null, int? metric = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        byte family = FamilyOf(destination, nameof(destination));
        ValidatePrefixLength(destination, prefixLength);
        ValidateNextHop(family, ifName, gateway);
        ValidateMetric(metric);

        IPAddress network = MaskToPrefix(destination, prefixLength);
        string operation = $"add route {network}/{prefixLength}{Describe(ifName, gateway)}";
        int index = ifName is null ? 0 : ResolveIndex(operation, ifName);

        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        uint sequence = NetlinkSocket.NextSequence();
        var writer = new NetlinkMessageWriter(buffer, NewRoute, AddFlags, sequence);
        WriteRouteInfo(
            writer.AppendFixedHeader(RouteInfoSize),
            family,
            prefixLength,
            RouteProtocol,
            gateway is null ? ScopeLink : ScopeUniverse,
            RouteTypeUnicast);
        AddRouteTarget(ref writer, network, prefixLength, index, gateway, metric);
        Execute(operation, writer.Complete(), sequence);
    }

    /// <summary>
    /// Adds or replaces a blackhole route in the main table (<c>ip route replace blackhole 10.9.0.0/16 metric N</c>):
    /// the kernel drops what matches it, with no interface and no next hop.
    /// </summary>
    public static void AddBlackholeRoute(IPAddress destination, int prefixLength, int? metric = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        byte family = FamilyOf(destination, nameof(destination));
        ValidatePrefixLength(destination, prefixLength);
        ValidateMetric(metric);

        IPAddress network = MaskToPrefix(destination, prefixLength);
        string operation = $"add route blackhole {network}/{prefixLength}";
        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        uint sequence = NetlinkSocket.NextSequence();
        var writer = new NetlinkMessageWriter(buffer, NewRoute, AddFlags, sequence);
        WriteRouteInfo(writer.AppendFixedHeader(RouteInfoSize), family, prefixLength, RouteProtocol, ScopeUniverse, RouteTypeBlackhole);
        AddRouteTarget(ref writer, network, prefixLength, index: 0, gateway: null, metric);
        Execute(operation, writer.Complete(), sequence);
    }

    /// <summary>
    /// Deletes the main-table route to <paramref name="destination"/>/<paramref name="prefixLength"/> via the interface,
    /// whatever its gateway, metric or protocol. Null <paramref name="ifName"/> matches any interface; a
    /// <paramref name="gateway"/> or <paramref name="metric"/> narrows the match to that next hop or metric, so one of two
    /// routes to one destination goes. A missing route is an error ("No such process", the kernel's ESRCH).
    /// </summary>
    public static void DeleteRoute(IPAddress destination, int prefixLength, string? ifName, IPAddress? gateway = null, int? metric = null) =>
        Delete(destination, prefixLength, ifName, gateway, metric, blackhole: false);

    /// <summary>Deletes the main-table blackhole route to the destination (with <paramref name="metric"/>, only that one).</summary>
    public static void DeleteBlackholeRoute(IPAddress destination, int prefixLength, int? metric = null) =>
        Delete(destination, prefixLength, ifName: null, gateway: null, metric, blackhole: true);

    private static void Delete(IPAddress destination, int prefixLength, string? ifName, IPAddress? gateway, int? metric, bool blackhole)
    {
        ArgumentNullException.ThrowIfNull(destination);
        byte family = FamilyOf(destination, nameof(destination));
        ValidatePrefixLength(destination, prefixLength);
        if (ifName is not null)
        {
            InterfaceName.Validate(ifName, nameof(ifName));
        }

        if (gateway is not null && FamilyOf(gateway, nameof(gateway)) != family)
        {
            throw new ArgumentException($"Gateway {gateway} is not in the address family of destination {destination}.", nameof(gateway));
        }

        ValidateMetric(metric);
        IPAddress network = MaskToPrefix(destination, prefixLength);
        string operation = blackhole ? $"delete route blackhole {network}/{prefixLength}" : $"delete route {network}/{prefixLength}{Describe(ifName, gateway)}";
        int index = ifName is null ? 0 : ResolveIndex(operation, ifName);

        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        uint sequence = NetlinkSocket.NextSequence();
        var writer = new NetlinkMessageWriter(buffer, DeleteRouteMessage, NetlinkSocket.FlagRequest | NetlinkSocket.FlagAck, sequence);

        // Protocol 0, scope "nowhere" and type 0 are wildcards for the kernel's route matching; a blackhole type matches only blackholes.
        WriteRouteInfo(writer.AppendFixedHeader(RouteInfoSize), family, prefixLength, protocol: 0, ScopeNowhere, blackhole ? RouteTypeBlackhole : (byte)0);
        AddRouteTarget(ref writer, network, prefixLength, index, gateway, metric);
        Execute(operation, writer.Complete(), sequence);
    }

    /// <summary>The kernel's ifindex for <paramref name="ifName"/> (if_nametoindex).</summary>
    /// <exception cref="NetlinkException">No such interface ("No such device").</exception>
    public static int GetInterfaceIndex(string ifName)
    {
        InterfaceName.Validate(ifName, nameof(ifName));
        return ResolveIndex($"look up interface {ifName}", ifName);
    }

    /// <summary>
    /// Every interface of the network namespace the calling thread is in, by ifindex (one rtnetlink dump): what an index in
    /// a kernel message of this namespace names.
    /// </summary>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    public static Dictionary<uint, string> InterfaceNames()
    {
        const string Operation = "list the network interfaces";
        uint sequence = NetlinkSocket.NextSequence();
        Span<byte> buffer = stackalloc byte[NetlinkMessageWriter.HeaderLength + InterfaceInfoSize];
        var writer = new NetlinkMessageWriter(buffer, GetLinks, NetlinkSocket.FlagRequest | NetlinkSocket.FlagDump, sequence);
        writer.AppendFixedHeader(InterfaceInfoSize);
        using var socket = NetlinkSocket.Open(Operation);
        var names = new Dictionary<uint, string>();
        foreach (var message in socket.Dump(Operation, writer.Complete(), sequence))
        {
            if (message.Length < NetlinkMessageWriter.HeaderLength + InterfaceInfoSize)
            {
                continue;
            }

            var index = MemoryMarshal.Read<uint>(message.AsSpan(NetlinkMessageWriter.HeaderLength + 4)); // ifi_index, host byte order
            foreach (var attribute in new NetlinkAttributeReader(message.AsSpan(NetlinkMessageWriter.HeaderLength + InterfaceInfoSize)))
            {
                if (attribute.Type == LinkAttributeName)
                {
                    var name = attribute.Value;
                    int end = name.IndexOf((byte)0);
                    names[index] = System.Text.Encoding.UTF8.GetString(end < 0 ? name : name[..end]);
                }
            }
        }

        return names;
    }

    /// <summary>
    /// The route the kernel takes now for a packet to <paramref name="destination"/> carrying <paramref name="mark"/>
    /// (<c>ip route get &lt;destination&gt; mark &lt;mark&gt;</c>): the output interface's index and the next hop, null when
    /// the destination is on the link itself. What `diagnose debug flow` shows as the route a traced packet found.
    /// </summary>
    /// <exception cref="NetlinkException">No route (ENETUNREACH), or the kernel refused.</exception>
    public static (uint OutputInterface, IPAddress? Gateway) LookupRoute(IPAddress destination, uint mark = 0)
    {
        ArgumentNullException.ThrowIfNull(destination);
        byte family = FamilyOf(destination, nameof(destination));
        string operation = $"look up the route to {destination}";
        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        uint sequence = NetlinkSocket.NextSequence();
        var writer = new NetlinkMessageWriter(buffer, GetRouteMessage, NetlinkSocket.FlagRequest | NetlinkSocket.FlagAck, sequence);
        Span<byte> info = writer.AppendFixedHeader(RouteInfoSize);
        info[0] = family;
        info[1] = (byte)(family == FamilyIPv4 ? 32 : 128);
        Span<byte> address = stackalloc byte[16];
        writer.AddAttribute(RouteAttributeDestination, address[..WriteAddress(destination, address)]);
        if (mark != 0)
        {
            writer.AddAttribute(RouteAttributeMark, mark);
        }

        using var socket = NetlinkSocket.Open(operation);
        foreach (var message in socket.Query(operation, writer.Complete(), sequence))
        {
            if (message.Length < NetlinkMessageWriter.HeaderLength + RouteInfoSize)
            {
                continue;
            }

            uint outputInterface = 0;
            IPAddress? gateway = null;
            foreach (var attribute in new NetlinkAttributeReader(message.AsSpan(NetlinkMessageWriter.HeaderLength + RouteInfoSize)))
            {
                if (attribute.Type == RouteAttributeOutputInterface && attribute.Value.Length == 4)
                {
                    outputInterface = MemoryMarshal.Read<uint>(attribute.Value);
                }
                else if (attribute.Type == RouteAttributeGateway && attribute.Value.Length is 4 or 16)
                {
                    gateway = new IPAddress(attribute.Value);
                }
            }

            return (outputInterface, gateway);
        }

        throw new NetlinkException(operation, 0, "the kernel answered with no route");
    }

    /// <summary>True when an interface of that name exists in this network namespace.</summary>
    public static bool InterfaceExists(string ifName)
    {
        InterfaceName.Validate(ifName, nameof(ifName));
        return LibC.InterfaceNameToIndex(ifName) != 0;
    }

    /// <summary>The first IPv4 address of the interface, or null when it has none or does not exist.</summary>
    /// <remarks>
    /// One getifaddrs() (a netlink dump) rather than .NET's interface list, which reads several sysfs files for every
    /// interface: with a TUN device per tunnel that made each call cost as much as the tunnels there are.
    /// </remarks>
    public static unsafe IPAddress? GetPrimaryIPv4(string ifName)
    {
        InterfaceName.Validate(ifName, nameof(ifName));
        Span<byte> wanted = stackalloc byte[InterfaceName.MaxLength + 1];
        wanted = wanted[..System.Text.Encoding.ASCII.GetBytes(ifName, wanted)];
        LibC.InterfaceAddresses* list;
        if (LibC.GetInterfaceAddresses(&list) != 0)
        {
            throw new IOException($"getifaddrs failed: {LibC.ErrorText(Marshal.GetLastPInvokeError())}");
        }

        try
        {
            for (var entry = list; entry != null; entry = entry->Next)
            {
                if (entry->Address == null || *(ushort*)entry->Address != LibC.AddressFamilyInet ||
                    !MemoryMarshal.CreateReadOnlySpanFromNullTerminated(entry->Name).SequenceEqual(wanted))
                {
                    continue;
                }

                // struct sockaddr_in: family (2 bytes), port (2), then the address in network order.
                return new IPAddress(new ReadOnlySpan<byte>(entry->Address + 4, 4));
            }

            return null;
        }
        finally
        {
            LibC.FreeInterfaceAddresses(list);
        }
    }

    /// <summary>
    /// Turns IPv6 off on the interface so the kernel stops sending router solicitations and MLD reports into it.
    /// Silently does nothing when the kernel has no IPv6 or the interface has no IPv6 settings.
    /// </summary>
    public static void DisableIPv6(string ifName)
    {
        InterfaceName.Validate(ifName, nameof(ifName));
        string path = $"/proc/sys/net/ipv6/conf/{ifName}/disable_ipv6";
        try
        {
            File.WriteAllText(path, "1");
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or FileNotFoundException)
        {
            // No IPv6 in this kernel or namespace: nothing to disable.
        }
    }

    private static void Execute(string operation, ReadOnlySpan<byte> request, uint sequence)
    {
        using NetlinkSocket socket = NetlinkSocket.Open(operation);
        socket.Execute(operation, request, sequence);
    }

    private static int ResolveIndex(string operation, string ifName)
    {
        uint index = LibC.InterfaceNameToIndex(ifName);
        if (index == 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == 0)
            {
                errno = LibC.ENODEV;
            }

            throw new NetlinkException(operation, errno, LibC.ErrorText(errno));
        }

        return (int)index;
    }

    private static void WriteInterfaceInfo(Span<byte> info, int index, uint flags, uint change)
    {
        // struct ifinfomsg { u8 family; u8 pad; u16 type; s32 index; u32 flags; u32 change; }
        MemoryMarshal.Write(info[4..], in index);
        MemoryMarshal.Write(info[8..], in flags);
        MemoryMarshal.Write(info[12..], in change);
    }

    private static void WriteRouteInfo(Span<byte> info, byte family, int prefixLength, byte protocol, byte scope, byte type)
    {
        // struct rtmsg { u8 family, dst_len, src_len, tos, table, protocol, scope, type; u32 flags; }
        info[0] = family;
        info[1] = (byte)prefixLength;
        info[4] = RouteTableMain;
        info[5] = protocol;
        info[6] = scope;
        info[7] = type;
    }

    /// <summary>Destination, then the interface (index 0: none), next hop and metric when given.</summary>
    private static void AddRouteTarget(ref NetlinkMessageWriter writer, IPAddress network, int prefixLength, int index, IPAddress? gateway, int? metric)
    {
        // A default route (prefix 0) carries no RTA_DST at all.
        if (prefixLength > 0)
        {
            Span<byte> destinationBytes = stackalloc byte[16];
            writer.AddAttribute(RouteAttributeDestination, destinationBytes[..WriteAddress(network, destinationBytes)]);
        }

        if (index != 0)
        {
            writer.AddAttribute(RouteAttributeOutputInterface, (uint)index);
        }

        if (gateway is not null)
        {
            Span<byte> gatewayBytes = stackalloc byte[16];
            writer.AddAttribute(RouteAttributeGateway, gatewayBytes[..WriteAddress(gateway, gatewayBytes)]);
        }

        if (metric is int priority)
        {
            writer.AddAttribute(RouteAttributePriority, (uint)priority);
        }
    }

    /// <summary>A route needs an interface or a next hop of the destination's family.</summary>
    private static void ValidateNextHop(byte family, string? ifName, IPAddress? gateway)
    {
        if (ifName is not null)
        {
            InterfaceName.Validate(ifName, nameof(ifName));
        }
        else if (gateway is null)
        {
            throw new ArgumentException("A route needs an interface, a gateway or both.", nameof(ifName));
        }

        if (gateway is not null && FamilyOf(gateway, nameof(gateway)) != family)
        {
            throw new ArgumentException($"Gateway {gateway} is not in the address family of the destination.", nameof(gateway));
        }
    }

    private static void ValidateMetric(int? metric)
    {
        if (metric is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(metric), metric, "A route metric cannot be negative.");
        }
    }

    private static string Describe(string? ifName, IPAddress? gateway) =>
        (gateway is null ? "" : $" via {gateway}") + (ifName is null ? "" : $" dev {ifName}");

    private static byte FamilyOf(IPAddress address, string parameterName) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => FamilyIPv4,
        AddressFamily.InterNetworkV6 => FamilyIPv6,
        _ => throw new ArgumentException($"{address} is neither IPv4 nor IPv6.", parameterName),
    };

    private static void ValidatePrefixLength(IPAddress address, int prefixLength)
    {
        int maximum = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (prefixLength < 0 || prefixLength > maximum)
        {
            throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, $"Prefix length for {address} must be 0..{maximum}.");
        }
    }

    private static int WriteAddress(IPAddress address, Span<byte> destination)
    {
        if (!address.TryWriteBytes(destination, out int written))
        {
            throw new ArgumentException($"Cannot encode address {address}.", nameof(address));
        }

        return written;
    }

    private static IPAddress MaskToPrefix(IPAddress address, int prefixLength)
    {
        Span<byte> bytes = stackalloc byte[16];
        int length = WriteAddress(address, bytes);
        bytes = bytes[..length];
        for (int i = 0; i < length; i++)
        {
            int bitsInThisByte = Math.Clamp(prefixLength - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bitsInThisByte));
        }

        return new IPAddress(bytes);
    }
}
