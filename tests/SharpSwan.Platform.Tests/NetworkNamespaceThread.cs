using System.Runtime.InteropServices;

namespace SharpSwan.Platform.Tests;

/// <summary>
/// A network namespace made for one test (<c>ip netns add</c>) and a way to run code inside it: the network namespace is
/// per thread on Linux, so <see cref="Run"/> uses a thread of its own that joins the namespace (setns) first. Devices and
/// sockets made there stay in the namespace whatever thread uses them later. Dispose deletes the namespace.
/// </summary>
internal sealed class NetworkNamespaceThread : IDisposable
{
    private const int CloneNewNet = 0x40000000;

    public NetworkNamespaceThread()
    {
        Name = "sstp" + Convert.ToHexString(Guid.NewGuid().ToByteArray().AsSpan(0, 4)).ToLowerInvariant();
        var (exitCode, _, error) = IpTool.Run("netns", "add", Name);
        Assert.True(exitCode == 0, $"ip netns add {Name} failed: {error}");
    }

    public string Name { get; }

    /// <summary>Runs <paramref name="body"/> on a new thread inside the namespace and rethrows what it threw.</summary>
    public void Run(Action body)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter();
                body();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new AggregateException($"in namespace {Name}", failure);
        }
    }

    public void Dispose() => IpTool.Run("netns", "del", Name);

    // DllImport: a blittable signature, and this test project does not compile unsafe code (which LibraryImport needs).
    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNamespace(int fd, int type);

    private void Enter()
    {
        using var handle = File.OpenHandle($"/var/run/netns/{Name}");
        if (SetNamespace((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
        {
            throw new IOException($"setns into {Name} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }
}
