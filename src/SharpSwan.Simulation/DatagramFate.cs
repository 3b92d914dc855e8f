namespace SharpSwan.Simulation;

/// <summary>What <see cref="SimulatedNetwork.Interfere"/> does to one datagram: let it pass, drop it, or hold it back.</summary>
public readonly record struct DatagramFate(bool Dropped, TimeSpan ExtraDelay)
{
    public static DatagramFate Pass { get; } = new(false, TimeSpan.Zero);

    public static DatagramFate Drop { get; } = new(true, TimeSpan.Zero);

    public static DatagramFate Delay(TimeSpan extra) => new(false, extra);
}
