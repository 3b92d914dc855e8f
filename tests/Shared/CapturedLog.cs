using Microsoft.Extensions.Logging;

namespace SharpSwan.Testing;

/// <summary>Shared as source by the gateway and web tests. An ILogger that keeps each entry's level and structured state (the template's named values), not its text.</summary>
internal sealed class CapturedLog : ILogger
{
    public List<(LogLevel Level, IReadOnlyDictionary<string, object?> State)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
        Entries.Add((logLevel, values.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)));
    }
}
