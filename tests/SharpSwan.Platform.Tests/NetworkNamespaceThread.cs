using SharpSwan.Testing;

namespace SharpSwan.Platform.Tests;

/// <summary>
/// A network namespace made for one test (<c>ip netns add</c>) and a way to run code inside it (<see cref="NetworkNamespaceJoin"/>).
/// Dispose deletes the namespace.
/// </summary>
internal sealed class NetworkNamespaceThread : IDisposable
{
    public NetworkNamespaceThread()
    {
        Name = "sstp" + Convert.ToHexString(Guid.NewGuid().ToByteArray().AsSpan(0, 4)).ToLowerInvariant();
        var (exitCode, _, error) = IpTool.Run("netns", "add", Name);
        Assert.True(exitCode == 0, $"ip netns add {Name} failed: {error}");
    }

    public string Name { get; }

    /// <summary>Runs <paramref name="body"/> on a new thread inside the namespace and rethrows what it threw.</summary>
    public void Run(Action body) => NetworkNamespaceJoin.Run(Name, body);

    public void Dispose() => IpTool.Run("netns", "del", Name);
}
