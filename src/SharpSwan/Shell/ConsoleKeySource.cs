namespace SharpSwan.Shell;

/// <summary>The terminal's keys, unechoed; Ctrl-C arrives as a key rather than as SIGINT.</summary>
internal sealed class ConsoleKeySource : IKeySource
{
    public ConsoleKeySource() => Console.TreatControlCAsInput = true;

    public bool KeyAvailable => Console.KeyAvailable;

    public ConsoleKeyInfo ReadKey() => Console.ReadKey(intercept: true);
}
