using System.CommandLine;
using System.CommandLine.Invocation;

namespace SharpSwan.Service;

/// <summary>`--version`: the product's version (package or git describe), whoever hosts the entry point.</summary>
internal sealed class PrintVersionAction : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        Console.Out.WriteLine($"sharpswan {VersionText.Current}");
        return 0;
    }
}
