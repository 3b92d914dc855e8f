namespace SharpSwan.Fuzz;

/// <summary>
/// One parser at the gateway's edge, driven by arbitrary bytes. <see cref="Run"/> must return for every input: an exception
/// escaping it is a bug in the code under test (AFL++ records it as a crash), never an expected outcome.
/// </summary>
internal interface IFuzzTarget
{
    /// <summary>The name <c>fuzz/run.sh</c> and the seed directory use.</summary>
    string Name { get; }

    void Run(ReadOnlySpan<byte> input);

    /// <summary>Well-formed inputs to start from (file name, content), written to fuzz/seeds/NAME by <c>sharpswan-fuzz seeds</c>.</summary>
    IEnumerable<(string Name, byte[] Data)> Seeds();
}
