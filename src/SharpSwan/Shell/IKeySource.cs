namespace SharpSwan.Shell;

/// <summary>Where the interactive shell's keys come from: the terminal, or a script of keys in tests.</summary>
public interface IKeySource
{
    bool KeyAvailable { get; }

    ConsoleKeyInfo ReadKey();
}
