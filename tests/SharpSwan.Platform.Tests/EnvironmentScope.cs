namespace SharpSwan.Platform.Tests;

/// <summary>Sets environment variables for a test and restores them afterwards.</summary>
internal sealed class EnvironmentScope : IDisposable
{
    private readonly List<(string Name, string? Value)> _saved = [];

    public EnvironmentScope(params (string Name, string? Value)[] variables)
    {
        foreach (var (name, value) in variables)
        {
            _saved.Add((name, Environment.GetEnvironmentVariable(name)));
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
