namespace SharpSwan.Esp.Tests;

internal static class Packets
{
    /// <summary>An IPv4-looking packet: version nibble 4, the rest filler.</summary>
    public static byte[] IPv4(int length, int seed = 0)
    {
        var packet = new byte[length];
        new Random(seed).NextBytes(packet);
        packet[0] = 0x45;
        return packet;
    }

    public static byte[] IPv6(int length, int seed = 0)
    {
        var packet = new byte[length];
        new Random(seed).NextBytes(packet);
        packet[0] = 0x60;
        return packet;
    }
}
