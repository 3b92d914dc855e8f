namespace SharpSwan.Shell;

/// <summary>Keys typed while a command was running, handed to the line editor before any new ones.</summary>
internal sealed class TypeAheadKeys(IKeySource terminal) : IKeySource
{
    private readonly Queue<ConsoleKeyInfo> _pending = new();

    public bool KeyAvailable => _pending.Count > 0 || terminal.KeyAvailable;

    public void Keep(ConsoleKeyInfo key) => _pending.Enqueue(key);

    public ConsoleKeyInfo ReadKey() => _pending.TryDequeue(out var key) ? key : terminal.ReadKey();
}
