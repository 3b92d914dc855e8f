using SharpSwan.Config;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Hosting;

/// <summary>
/// Puts a <c>config system interface</c> tunnel entry's address and MTU on its TUN device, and moves them when a
/// reload changes the entry. The device was created by the gateway, so the addresses on it are the configuration's.
/// </summary>
internal static class TunnelInterfaceSetup
{
    /// <summary>The MTU the device gets: the entry's override, else the gateway's default.</summary>
    public static int MtuFor(TunnelInterface? settings, int defaultMtu) => settings?.Mtu ?? defaultMtu;

    /// <summary>Sets the MTU and the address on a device just created (it has none yet).</summary>
    public static void Apply(string device, TunnelInterface? settings, int defaultMtu)
    {
        NetworkConfigurator.SetMtu(device, MtuFor(settings, defaultMtu));
        AddAddress(device, settings);
    }

    /// <summary>Reload: the address is replaced when it changed, the MTU set again when it changed.</summary>
    public static void Change(string device, TunnelInterface? previous, TunnelInterface? wanted, int defaultMtu)
    {
        if (MtuFor(previous, defaultMtu) != MtuFor(wanted, defaultMtu))
        {
            NetworkConfigurator.SetMtu(device, MtuFor(wanted, defaultMtu));
        }

        if (SameAddress(previous, wanted))
        {
            return;
        }

        DeleteAddress(device, previous);
        AddAddress(device, wanted);
    }

    /// <summary>e.g. " 169.254.21.2 peer 169.254.21.1/30" for the start-up line; empty without an address.</summary>
    public static string Describe(TunnelInterface? settings) =>
        settings?.AddressText is { Length: > 0 } text ? $", address {text}" : "";

    private static bool SameAddress(TunnelInterface? a, TunnelInterface? b) =>
        Equals(a?.Local, b?.Local) && Equals(a?.Remote, b?.Remote) && a?.PrefixLength == b?.PrefixLength;

    private static void AddAddress(string device, TunnelInterface? settings)
    {
        if (settings?.Local is not { } local)
        {
            return;
        }

        if (settings.Remote is { } remote)
        {
            NetworkConfigurator.AddPeerAddress(device, local, remote, settings.PrefixLength);
        }
        else
        {
            NetworkConfigurator.AddAddress(device, local, settings.PrefixLength);
        }
    }

    private static void DeleteAddress(string device, TunnelInterface? settings)
    {
        if (settings?.Local is not { } local)
        {
            return;
        }

        try
        {
            if (settings.Remote is { } remote)
            {
                NetworkConfigurator.DeletePeerAddress(device, local, remote, settings.PrefixLength);
            }
            else
            {
                NetworkConfigurator.DeleteAddress(device, local, settings.PrefixLength);
            }
        }
        catch (NetlinkException)
        {
            // Removed by an administrator already: the new address is what matters.
        }
    }
}
