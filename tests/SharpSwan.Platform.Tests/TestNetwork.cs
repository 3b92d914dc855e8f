using System.Net;

namespace SharpSwan.Platform.Tests;

/// <summary>
/// Names and addresses for tests that run in the current network namespace: every device is "sst" plus random hex
/// (unique, 11 characters), every subnet a distinct /24 inside 10.250.0.0/16 placed only on TUN devices the test
/// created, so it all disappears with the device.
/// </summary>
internal static class TestNetwork
{
    private static int _nextSubnet = Random.Shared.Next(0, 256);

    public static string NewDeviceName() => "sst" + Convert.ToHexString(Guid.NewGuid().ToByteArray().AsSpan(0, 4)).ToLowerInvariant();

    /// <summary>The third octet of a fresh 10.250.X.0/24, unique within this test run.</summary>
    public static int NewSubnet() => Interlocked.Increment(ref _nextSubnet) & 0xFF;

    public static IPAddress Address(int subnet, int host) => IPAddress.Parse($"10.250.{subnet}.{host}");

    /// <summary>A TUN device with IPv6 off (so the kernel sends nothing into it on its own), 10.250.X.1/24, up.</summary>
    public static (TunDevice Device, int Subnet) CreateConfiguredTun()
    {
        int subnet = NewSubnet();
        TunDevice device = TunDevice.Create(NewDeviceName());
        try
        {
            NetworkConfigurator.DisableIPv6(device.Name);
            NetworkConfigurator.AddAddress(device.Name, Address(subnet, 1), 24);
            NetworkConfigurator.SetLinkUp(device.Name);
            return (device, subnet);
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }
}
