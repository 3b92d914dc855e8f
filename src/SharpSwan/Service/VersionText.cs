using System.Reflection;

namespace SharpSwan.Service;

/// <summary>The version `--version` prints: the package version, or git describe of the checkout it was built from.</summary>
internal static class VersionText
{
    public static string Current { get; } =
        typeof(VersionText).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionText).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
