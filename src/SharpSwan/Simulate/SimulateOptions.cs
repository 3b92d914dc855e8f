namespace SharpSwan.Simulate;

/// <summary>What `sharpswan simulate` was asked to do.</summary>
public sealed record SimulateOptions(IReadOnlyList<FileInfo> Configs, FileInfo Script, int? Seed, bool Json, bool Verbose);
