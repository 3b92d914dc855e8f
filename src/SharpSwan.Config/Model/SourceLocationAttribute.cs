namespace SharpSwan.Config;

/// <summary>
/// Marks a property that records where a value came from in the file (a line number).
/// Such properties are printed but ignored by equality, so a configuration that only moved
/// within the file, or was written and parsed back, still compares equal.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
internal sealed class SourceLocationAttribute : Attribute;
