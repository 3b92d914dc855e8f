namespace SharpSwan.Interop.Tests.Harness;

/// <summary>Where things live: the repository (for the launcher), diagnostics output and scratch space.</summary>
public static class RepositoryLayout
{
    /// <summary>
    /// Scratch space of this test process. test.sh treats a directory whose name is a dead pid as the
    /// leftovers of an aborted run and removes the namespaces and processes recorded in it.
    /// </summary>
    public const string ScratchRoot = "/tmp/sharpswan-interop";

    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    /// <summary>The launcher script that builds the gateway on demand and runs it.</summary>
    public static string Launcher => Path.Combine(Root, "sharpswan");

    public static string ScratchDirectory { get; } = CreateScratchDirectory();

    /// <summary>Kept after the run (git-ignored) so a failure can be diagnosed from the logs.</summary>
    public static string DiagnosticsDirectoryFor(string testName)
    {
        string directory = Path.Combine(Root, ".test-output", "interop", testName);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>A fresh private directory below this process's scratch directory.</summary>
    public static string CreateWorkDirectory(string label)
    {
        string directory = Path.Combine(ScratchDirectory, $"{label}-{Guid.NewGuid().ToString("N")[..6]}");
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SharpSwan.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"SharpSwan.slnx not found above {AppContext.BaseDirectory}");
    }

    private static string CreateScratchDirectory()
    {
        string directory = Path.Combine(ScratchRoot, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(Path.Combine(directory, "netns"));

        // Leave nothing behind after a clean run; anything left after a crash is swept by test.sh.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                if (!Directory.EnumerateFileSystemEntries(Path.Combine(directory, "netns")).Any())
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
            catch (IOException)
            {
                // test.sh sweeps directories of dead processes.
            }
        };
        return directory;
    }
}
