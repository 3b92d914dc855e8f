using System.Buffers.Binary;
using System.Net;
using SharpSwan.Testing;

namespace SharpSwan.Platform.Tests;

public sealed class TunDeviceTests
{
    // Upper bound on waiting for the kernel; a healthy run needs microseconds. Not a timing assertion.
    private const int PatienceMilliseconds = 5000;

    public TunDeviceTests() => RootRequirement.Ensure();

    [Fact]
    public void Create_RegistersTheDeviceUnderItsNameAndIndex()
    {
        string name = TestNetwork.NewDeviceName();
        using TunDevice device = TunDevice.Create(name);

        Assert.Equal(name, device.Name);
        var link = IpTool.Json("link", "show", "dev", name)[0];
        Assert.Equal(device.InterfaceIndex, link.GetProperty("ifindex").GetInt32());
        Assert.Equal("none", link.GetProperty("link_type").GetString());
        Assert.Contains("POINTOPOINT", link.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public void Dispose_RemovesTheDevice()
    {
        string name = TestNetwork.NewDeviceName();
        TunDevice device = TunDevice.Create(name);
        Assert.True(IpTool.LinkExists(name));

        device.Dispose();

        Assert.False(IpTool.LinkExists(name));
        Assert.False(NetworkConfigurator.InterfaceExists(name));
    }

    [Fact]
    public void Create_NameLongerThan15Characters_ThrowsClearArgumentException()
    {
        var error = Assert.Throws<ArgumentException>(() => TunDevice.Create("sst0123456789abc"));

        Assert.Equal("name", error.ParamName);
        Assert.Contains("at most 15", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("tun%d")]
    [InlineData("..")]
    public void Create_NameLinuxWouldReject_ThrowsArgumentException(string name)
    {
        Assert.Throws<ArgumentException>(() => TunDevice.Create(name));
    }

    [Fact]
    public void Create_NameHeldByAnotherOpenDevice_ThrowsIOExceptionNamingIt()
    {
        using TunDevice first = TunDevice.Create(TestNetwork.NewDeviceName());

        var error = Assert.Throws<IOException>(() => TunDevice.Create(first.Name));

        Assert.Contains(first.Name, error.Message);
    }

    [Fact]
    public void WriteEchoRequestToOwnAddress_KernelAnswersWithEchoReplyReadFromTheDevice()
    {
        (TunDevice device, int subnet) = TestNetwork.CreateConfiguredTun();
        using (device)
        {
            IPAddress local = TestNetwork.Address(subnet, 1);
            IPAddress peer = TestNetwork.Address(subnet, 2);
            byte[] payload = "sharpswan tun echo"u8.ToArray();
            byte[] request = Ipv4Packets.IcmpEchoRequest(peer, local, identifier: 0x5353, sequence: 7, payload);

            device.Write(request);

            byte[] reply = ReadUntil(device, packet =>
                Ipv4Packets.Version(packet) == 4 && Ipv4Packets.Protocol(packet) == Ipv4Packets.ProtocolIcmp);
            Assert.Equal(local, Ipv4Packets.Source(reply));
            Assert.Equal(peer, Ipv4Packets.Destination(reply));
            ReadOnlySpan<byte> icmp = Ipv4Packets.Payload(reply);
            Assert.Equal(0, icmp[0]); // echo reply
            Assert.Equal(0x5353, BinaryPrimitives.ReadUInt16BigEndian(icmp[4..]));
            Assert.Equal(7, BinaryPrimitives.ReadUInt16BigEndian(icmp[6..]));
            Assert.Equal(payload, icmp[8..].ToArray());
            Assert.Equal(0, device.WriteErrors);
        }
    }

    [Fact]
    public void UdpSentToAnAddressRoutedIntoTheDevice_IsReadAsARawIpv4Packet()
    {
        (TunDevice device, int subnet) = TestNetwork.CreateConfiguredTun();
        using (device)
        {
            int remoteSubnet = TestNetwork.NewSubnet();
            NetworkConfigurator.AddRoute(TestNetwork.Address(remoteSubnet, 0), 24, device.Name);
            using UdpEndpoint sender = UdpEndpoint.Bind(new IPEndPoint(TestNetwork.Address(subnet, 1), 0));
            byte[] message = "through the tunnel"u8.ToArray();
            var target = new IPEndPoint(TestNetwork.Address(remoteSubnet, 7), 4500);

            sender.Send(message, target);

            byte[] packet = ReadUntil(device, p => Ipv4Packets.Version(p) == 4 && Ipv4Packets.Protocol(p) == Ipv4Packets.ProtocolUdp);
            Assert.Equal(0, sender.SendErrors);
            Assert.Equal(TestNetwork.Address(subnet, 1), Ipv4Packets.Source(packet));
            Assert.Equal(target.Address, Ipv4Packets.Destination(packet));
            ReadOnlySpan<byte> udp = Ipv4Packets.Payload(packet);
            Assert.Equal(sender.LocalEndPoint.Port, BinaryPrimitives.ReadUInt16BigEndian(udp));
            Assert.Equal(4500, BinaryPrimitives.ReadUInt16BigEndian(udp[2..]));
            Assert.Equal(message, udp[8..].ToArray());
        }
    }

    [Fact]
    public void Read_NothingArrives_ReturnsZeroAtTimeout()
    {
        using TunDevice device = TunDevice.Create(TestNetwork.NewDeviceName());
        byte[] buffer = new byte[2048];

        // The device is down, so the kernel cannot queue anything into it.
        Assert.Equal(0, device.Read(buffer, timeoutMilliseconds: 20));
    }

    [Fact]
    public void Read_AfterDispose_ReturnsMinusOne()
    {
        TunDevice device = TunDevice.Create(TestNetwork.NewDeviceName());
        device.Dispose();

        Assert.Equal(-1, device.Read(new byte[2048], timeoutMilliseconds: 1000));
    }

    [Fact]
    public async Task Dispose_WakesAReaderWaitingWithoutTimeout_WhichReturnsMinusOne()
    {
        TunDevice device = TunDevice.Create(TestNetwork.NewDeviceName());
        using var readerStarted = new ManualResetEventSlim();
        Task<int> reader = Task.Factory.StartNew(
            () =>
            {
                readerStarted.Set();
                return device.Read(new byte[2048], timeoutMilliseconds: -1);
            },
            TaskCreationOptions.LongRunning);
        readerStarted.Wait();

        device.Dispose();

        // WaitAsync only keeps a broken wake-up from hanging the run; the value is what is asserted.
        int result = await reader.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(-1, result);
        Assert.False(IpTool.LinkExists(device.Name));
    }

    [Fact]
    public void Write_PacketTheKernelRejects_IsCountedNotThrown()
    {
        (TunDevice device, _) = TestNetwork.CreateConfiguredTun();
        using (device)
        {
            // Version nibble 0 is neither IPv4 nor IPv6: the TUN driver refuses it with EINVAL.
            device.Write(new byte[] { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13 });

            Assert.Equal(1, device.WriteErrors);
        }
    }

    [Fact]
    public void Write_AfterDispose_IsCountedNotThrown()
    {
        TunDevice device = TunDevice.Create(TestNetwork.NewDeviceName());
        device.Dispose();

        device.Write(Ipv4Packets.IcmpEchoRequest(IPAddress.Loopback, IPAddress.Loopback, 1, 1, []));

        Assert.Equal(1, device.WriteErrors);
    }

    [Fact]
    public void ReadAndWrite_DoNotAllocate()
    {
        (TunDevice device, int subnet) = TestNetwork.CreateConfiguredTun();
        using (device)
        {
            byte[] request = Ipv4Packets.IcmpEchoRequest(TestNetwork.Address(subnet, 2), TestNetwork.Address(subnet, 1), 9, 1, new byte[32]);
            byte[] buffer = new byte[2048];
            device.Write(request);
            ReadUntil(device, p => Ipv4Packets.Version(p) == 4);

            int repliesRead = 0;
            void Ping()
            {
                device.Write(request);
                if (device.Read(buffer, PatienceMilliseconds) > 0)
                {
                    repliesRead++;
                }
            }

            (long allocated, int pings) = SteadyAllocation.Measure(Ping, warmUp: 0, batchSize: 20);
            Assert.Equal(pings, repliesRead);
            Assert.Equal(0, allocated);
        }
    }

    private static byte[] ReadUntil(TunDevice device, Func<byte[], bool> wanted)
    {
        byte[] buffer = new byte[4096];
        long giveUpAt = Environment.TickCount64 + PatienceMilliseconds;
        while (Environment.TickCount64 < giveUpAt)
        {
            int length = device.Read(buffer, timeoutMilliseconds: 200);
            Assert.NotEqual(-1, length);
            if (length > 0 && wanted(buffer[..length]))
            {
                return buffer[..length];
            }
        }

        Assert.Fail($"no matching packet came out of {device.Name}");
        return [];
    }
}
