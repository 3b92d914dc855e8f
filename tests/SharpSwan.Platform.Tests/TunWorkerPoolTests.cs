using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace SharpSwan.Platform.Tests;

/// <summary>
/// Many TUN devices served by a fixed set of epoll workers: every device's packets are seen, the process does not gain a
/// thread per device, and devices added and removed while packets flow are served or released cleanly. Each test makes
/// its own network namespace (the devices and addresses live there) and deletes it.
/// </summary>
public sealed class TunWorkerPoolTests : IDisposable
{
    private const int Port = 9999;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly NetworkNamespaceThread _namespace;
    private readonly ConcurrentQueue<Exception> _failures = new();
    private readonly ConcurrentBag<Thread> _threads = [];
    private readonly CountingHandler _handler = new();

    public TunWorkerPoolTests()
    {
        RootRequirement.Ensure();
        _namespace = new NetworkNamespaceThread();
    }

    [Fact]
    public void Fifty_devices_are_all_served_by_two_workers_without_a_thread_per_device()
    {
        const int Devices = 50;
        _namespace.Run(() =>
        {
            var devices = new List<TunDevice>();
            using var pool = NewPool(workers: 2);
            try
            {
                int threadsBefore = ThreadCount();
                for (int i = 0; i < Devices; i++)
                {
                    devices.Add(CreateDevice(i));
                    pool.Add(devices[i], new Owner(i, devices[i]));
                }

                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                for (int i = 0; i < Devices; i++)
                {
                    socket.SendTo(Payload(i), Far(i));
                }

                Assert.True(WaitUntil(() => Enumerable.Range(0, Devices).All(_handler.Saw)), $"devices not served: {string.Join(' ', Enumerable.Range(0, Devices).Where(i => !_handler.Saw(i)))}");
                int threadsAfter = ThreadCount();

                Assert.Equal(2, _threads.Count);
                Assert.True(_handler.ThreadNames.Count <= 2, $"served on {string.Join(", ", _handler.ThreadNames.Keys)}");
                Assert.True(threadsAfter - threadsBefore < Devices / 2, $"threads went from {threadsBefore} to {threadsAfter} for {Devices} devices");
                Assert.Equal(Devices, pool.DeviceCount);
            }
            finally
            {
                devices.ForEach(d => d.Dispose());
            }
        });

        Assert.Empty(_failures);
    }

    [Fact]
    public void Devices_added_and_removed_while_packets_flow_are_served_or_released()
    {
        _namespace.Run(() =>
        {
            var live = new Dictionary<int, TunDevice>();
            using var pool = NewPool(workers: 2);
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                for (int i = 0; i < 10; i++)
                {
                    live[i] = CreateDevice(i);
                    pool.Add(live[i], new Owner(i, live[i]));
                }

                // Each round sends to every live device, then removes the oldest (and disposes it at once) and adds a new one.
                for (int round = 0; round < 30; round++)
                {
                    foreach (int i in live.Keys)
                    {
                        socket.SendTo(Payload(i), Far(i));
                    }

                    int oldest = live.Keys.Min();
                    Assert.True(pool.Remove(live[oldest]));
                    live[oldest].Dispose();
                    live.Remove(oldest);
                    int added = 10 + round;
                    live[added] = CreateDevice(added);
                    pool.Add(live[added], new Owner(added, live[added]));
                }

                foreach (int i in live.Keys)
                {
                    socket.SendTo(Payload(i), Far(i));
                }

                Assert.True(WaitUntil(() => live.Keys.All(_handler.Saw)), "a device added under traffic was not served");
                Assert.Equal(live.Count, pool.DeviceCount);
                using var stranger = TunDevice.Create("sstwstranger");
                Assert.False(pool.Remove(stranger), "a device never added was reported removed");
            }
            finally
            {
                foreach (var device in live.Values)
                {
                    device.Dispose();
                }
            }
        });

        Assert.Empty(_failures);
        Assert.Equal(0, _handler.ReadErrors);
    }

    public void Dispose()
    {
        foreach (var thread in _threads)
        {
            thread.Join(Patience);
        }

        _namespace.Dispose();
    }

    private static int ThreadCount() => Directory.GetDirectories("/proc/self/task").Length;

    private static IPEndPoint Far(int index) => new(IPAddress.Parse($"10.{77 + (index / 250)}.{index % 250}.2"), Port);

    private static byte[] Payload(int index)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(payload, index);
        return payload;
    }

    private static TunDevice CreateDevice(int index)
    {
        var device = TunDevice.Create($"sstw{index}");
        try
        {
            NetworkConfigurator.AddAddress(device.Name, IPAddress.Parse($"10.{77 + (index / 250)}.{index % 250}.1"), 24);
            NetworkConfigurator.SetLinkUp(device.Name);
            return device;
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    private static bool WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            Thread.Sleep(20);
        }

        return true;
    }

    private TunWorkerPool<Owner> NewPool(int workers) => new(workers, () => _handler, StartThread, "sstw-worker");

    /// <summary>What the gateway's restart policy would see: a body that throws is recorded (and fails the test).</summary>
    private void StartThread(string name, Action body)
    {
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception ex)
            {
                _failures.Enqueue(ex);
            }
        })
        { Name = name, IsBackground = true };
        _threads.Add(thread);
        thread.Start();
    }

    private sealed record Owner(int Index, TunDevice Device);

    /// <summary>Reads what each device holds and notes which owners got one of the test's UDP datagrams, and on which threads.</summary>
    private sealed class CountingHandler : ITunFrameHandler<Owner>
    {
        private readonly byte[] _frame = new byte[VirtioNetHeader.Size + 65536];
        private readonly ConcurrentDictionary<int, bool> _seen = new();
        private long _readErrors;

        public ConcurrentDictionary<string, bool> ThreadNames { get; } = new();

        public long ReadErrors => Interlocked.Read(ref _readErrors);

        public bool Saw(int index) => _seen.ContainsKey(index);

        public void Turn(string workerName)
        {
        }

        public bool Readable(Owner owner)
        {
            ThreadNames[Thread.CurrentThread.Name ?? "?"] = true;
            lock (_frame)
            {
                for (int frames = 0; frames < 32; frames++)
                {
                    int length;
                    try
                    {
                        length = owner.Device.TryReadFrame(_frame);
                    }
                    catch (IOException)
                    {
                        Interlocked.Increment(ref _readErrors);
                        return false;
                    }

                    if (length <= 0)
                    {
                        return false;
                    }

                    var ip = _frame.AsSpan(VirtioNetHeader.Size, length - VirtioNetHeader.Size);
                    if (ip.Length >= 32 && ip[0] >> 4 == 4 && ip[9] == 17 && BinaryPrimitives.ReadUInt16BigEndian(ip[22..]) == Port)
                    {
                        _seen[BinaryPrimitives.ReadInt32BigEndian(ip[28..])] = true;
                    }
                }
            }

            return false;
        }

        public bool Service(Owner owner) => false;

        public void Dispose()
        {
        }
    }
}
