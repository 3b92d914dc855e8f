using System.Runtime.InteropServices;

namespace SharpSwan.Testing;

/// <summary>
/// Runs code inside a named network namespace (<c>ip netns add</c>): the network namespace is per thread on Linux, so
/// <see cref="Run"/> uses a thread of its own that joins the namespace (setns) first. Devices and sockets made there stay
/// in the namespace whatever thread uses them later.
/// </summary>
internal static class NetworkNamespaceJoin
{
    private const int CloneNewNet = 0x40000000;

    /// <summary>Runs <paramref name="body"/> on a new thread inside namespace <paramref name="name"/> and rethrows what it threw.</summary>
    public static void Run(string name, Action body)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter(name);
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
            throw new AggregateException($"in namespace {name}", failure);
        }
    }

    // DllImport: a blittable signature, and the test projects do not compile unsafe code (which LibraryImport needs).
    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNamespace(int fd, int type);

    private static void Enter(string name)
    {
        using var handle = File.OpenHandle($"/var/run/netns/{name}");
        if (SetNamespace((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
        {
            throw new IOException($"setns into {name} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }
}
