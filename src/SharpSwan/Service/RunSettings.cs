namespace SharpSwan.Service;

/// <summary>What `sharpswan run` was asked for on its command line.</summary>
/// <param name="User">--user: the account to run as when started as root; null takes <c>sharpswan</c> if it exists.</param>
internal sealed record RunSettings(FileInfo Config, string ControlPath, DirectoryInfo StateDirectory, int LogLevel, string? User = null);
