using SharpSwan.Config;

namespace SharpSwan.Service;

/// <summary>
/// Points the secrets key (issue 16: <c>sharpswan-secrets.key</c>) at the state directory for the duration of a command,
/// so the configuration's encrypted secrets are read and written with the key kept there, then restores what was set
/// (commands also run in-process in tests).
/// </summary>
internal sealed class SecretKeyScope : IDisposable
{
    private readonly Func<string, string> _previousDirectory = SecretKeyring.StateDirectoryOf;
    private readonly SecretKeyring _previousCurrent = SecretKeyring.Current;

    public SecretKeyScope(string configPath, string? stateDirectory)
    {
        if (stateDirectory is not null)
        {
            var full = Path.GetFullPath(stateDirectory);
            SecretKeyring.StateDirectoryOf = _ => full;
        }

        // Secrets in text that is not the file (show, the editors, the web) use the same key as the file.
        SecretKeyring.Current = SecretKeyring.ForConfigurationFile(configPath);
    }

    public void Dispose()
    {
        SecretKeyring.StateDirectoryOf = _previousDirectory;
        SecretKeyring.Current = _previousCurrent;
    }
}
