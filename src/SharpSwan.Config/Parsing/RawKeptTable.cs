using System.Collections.Immutable;

namespace SharpSwan.Config;

/// <summary>One <c>config</c> block of a table outside the schema, as command lines with their nesting depth.</summary>
internal sealed class RawKeptTable(string path, ConfigToken configToken)
{
    private readonly List<(int Depth, ImmutableArray<ConfigToken> Words)> _lines = [];

    public string Path { get; } = path;

    public ConfigToken ConfigToken { get; } = configToken;

    public IReadOnlyList<(int Depth, ImmutableArray<ConfigToken> Words)> Lines => _lines;

    public void Add(int depth, ImmutableArray<ConfigToken> words) => _lines.Add((depth, words));
}
