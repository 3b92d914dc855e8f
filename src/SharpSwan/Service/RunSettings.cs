namespace SharpSwan.Service;

/// <summary>What `sharpswan run` was asked for on its command line.</summary>
internal sealed record RunSettings(FileInfo Config, string ControlPath, DirectoryInfo StateDirectory, int LogLevel);
