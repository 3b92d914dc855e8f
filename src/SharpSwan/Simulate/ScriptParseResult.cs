namespace SharpSwan.Simulate;

/// <summary>The commands of a script, or why it cannot run. Never both: a script with errors runs nothing.</summary>
public sealed record ScriptParseResult(IReadOnlyList<ScriptCommand> Commands, IReadOnlyList<ScriptError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
