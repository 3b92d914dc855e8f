namespace SharpSwan.Simulate;

/// <summary>A script line that cannot be run, in the `file:line: message` form editors jump to.</summary>
public sealed record ScriptError(string File, int Line, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Message}";
}
