using System.Runtime.InteropServices;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// Keeps the configuration file in step with the running gateway. Every save writes the whole configuration in
/// <c>show full-configuration</c> syntax to a temporary file in the same directory, flushes it to disk, renames it over
/// the file (atomic on POSIX) and flushes the directory, so a crash or <c>kill -9</c> at any moment leaves either the
/// old file or the new one, never a torn one. The replaced versions are kept as <c>hq.conf.1</c> (newest) to
/// <c>hq.conf.N</c>, beside the file or in a revision directory (the gateway's state directory, so /etc holds only
/// the configuration). The file and every revision hold secrets, so they are 0600 whatever mode the old file had.
/// A revision is the replaced file as a save writes it, so secrets typed in clear or in the old base64 form are kept
/// only encrypted. A replaced file that does not load (a broken hand edit) is kept byte for byte, to be mended from:
/// it is the administrator's own text, secrets and all.
/// </summary>
public sealed class ConfigurationStore
{
    public const int DefaultKeptRevisions = 5;

    private const string Header = "#config-version=SharpSwan:saved-by=cli\n";
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Lock _saving = new();

    public ConfigurationStore(string path, int keptRevisions = DefaultKeptRevisions, string? revisionDirectory = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(keptRevisions);
        Path = System.IO.Path.GetFullPath(path);
        KeptRevisions = keptRevisions;
        RevisionDirectory = System.IO.Path.GetFullPath(revisionDirectory ?? System.IO.Path.GetDirectoryName(Path)!);
    }

    /// <summary>The configuration file's full path.</summary>
    public string Path { get; }

    public int KeptRevisions { get; }

    /// <summary>Where the kept revisions are written.</summary>
    public string RevisionDirectory { get; }

    /// <summary><c>hq.conf.1</c> is the version replaced by the last save, <c>hq.conf.2</c> the one before, ...</summary>
    public string RevisionPath(int age) => System.IO.Path.Combine(RevisionDirectory, $"{System.IO.Path.GetFileName(Path)}.{age}");

    /// <summary>Writes <paramref name="configuration"/> durably and atomically, keeping the replaced file as revision 1.</summary>
    /// <exception cref="IOException">The directory is not writable or the disk is full; the old file is then untouched.</exception>
    public void Save(GatewayConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var bytes = Render(configuration);
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        lock (_saving)
        {
            RemoveLeftoverTemporaryFiles(directory);
            var temporary = WriteTemporary(directory, bytes);
            try
            {
                KeepRevisions();
                File.Move(temporary, Path, overwrite: true);
            }
            catch
            {
                File.Delete(temporary);
                throw;
            }

            FlushDirectory(directory);
        }
    }

    private byte[] Render(GatewayConfiguration configuration) =>
        Utf8.GetBytes(Header + ConfigurationWriter.Write(configuration, fullConfiguration: true, SecretKeyring.ForConfigurationFile(Path)));

    private string TemporaryPrefix => "." + System.IO.Path.GetFileName(Path) + ".";

    private string WriteTemporary(string directory, byte[] bytes)
    {
        var temporary = System.IO.Path.Combine(directory, $"{TemporaryPrefix}{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Secrets live in this file: owner only, however the replaced file was set (a new file cannot be wider).
            options.UnixCreateMode = OwnerReadWrite;
        }

        using var stream = new FileStream(temporary, options);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
        return temporary;
    }

    /// <summary>Shifts hq.conf.1..N-1 up by one and keeps the current file as hq.conf.1 (the current file itself stays put).</summary>
    private void KeepRevisions()
    {
        if (KeptRevisions == 0 || !File.Exists(Path))
        {
            return;
        }

        // Before the shift: should reading or sealing fail, the save stops with every revision where it was.
        var revision = RevisionOf(File.ReadAllBytes(Path));
        for (var age = KeptRevisions - 1; age >= 1; age--)
        {
            if (File.Exists(RevisionPath(age)))
            {
                File.Move(RevisionPath(age), RevisionPath(age + 1), overwrite: true);
                RestrictToOwner(RevisionPath(age + 1));
            }
        }

        // The copy is written in the revision directory itself, so its rename is atomic there too.
        Directory.CreateDirectory(RevisionDirectory);
        var copy = WriteTemporary(RevisionDirectory, revision);
        File.Move(copy, RevisionPath(1), overwrite: true);
    }

    /// <summary>
    /// The replaced file rendered again, with its own keyring, as the revision to keep; the bytes themselves when it
    /// does not load. Rendered even when SharpSwan wrote the file: one parse per save buys no shortcut a hand-added
    /// clear secret could slip through.
    /// </summary>
    private byte[] RevisionOf(byte[] replaced)
    {
        // Decoded as File.ReadAllText (and so ConfigurationLoader.LoadFile) decodes it.
        using var reader = new StreamReader(new MemoryStream(replaced), Utf8, detectEncodingFromByteOrderMarks: true);
        var loaded = ConfigurationLoader.ParseFileText(reader.ReadToEnd(), Path);
        return loaded.IsValid && loaded.Configuration is { } configuration ? Render(configuration) : replaced;
    }

    /// <summary>Revisions saved before files were always 0600 may be wider; they hold the same secrets.</summary>
    private static void RestrictToOwner(string path)
    {
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(path) != OwnerReadWrite)
        {
            File.SetUnixFileMode(path, OwnerReadWrite);
        }
    }

    /// <summary>Temporary files of a save that was killed before its rename.</summary>
    private void RemoveLeftoverTemporaryFiles(string directory)
    {
        foreach (var leftover in Directory.EnumerateFiles(directory, TemporaryPrefix + "*.tmp"))
        {
            File.Delete(leftover);
        }
    }

    /// <summary>fsync on the directory makes the rename itself durable.</summary>
    private static void FlushDirectory(string directory)
    {
        var descriptor = NativeMethods.Open(Utf8.GetBytes(directory + "\0"), 0);
        if (descriptor < 0)
        {
            throw new IOException($"cannot open {directory} to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (NativeMethods.Fsync(descriptor) != 0)
            {
                throw new IOException($"cannot flush {directory} (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = NativeMethods.Close(descriptor);
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int Open(byte[] path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static extern int Fsync(int descriptor);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int descriptor);
    }
}
