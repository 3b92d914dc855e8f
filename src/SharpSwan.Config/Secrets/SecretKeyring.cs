using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace SharpSwan.Config;

/// <summary>
/// The key that encrypts the secrets SharpSwan stores (pre-shared keys, private keys, passwords): 32 random bytes in
/// a file readable by its owner only (0600) in the state directory, made on first need. A configuration file saved
/// with one key file loads only where that key file is; elsewhere its secrets must be set again in clear text.
/// </summary>
public sealed class SecretKeyring
{
    public const string KeyFileName = "sharpswan-secrets.key";

    private const int KeyLength = 32;
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly ConcurrentDictionary<string, SecretKeyring> ByDirectory = new(StringComparer.Ordinal);

    private readonly Lock _loading = new();
    private byte[]? _key;

    private SecretKeyring(string? keyFile, byte[]? key)
    {
        KeyFile = keyFile;
        _key = key;
    }

    /// <summary>
    /// Where the key file of a configuration file lives. Today: the configuration's own directory (where its revisions
    /// are kept); the state directory option replaces this one line.
    /// </summary>
    public static Func<string, string> StateDirectoryOf { get; set; } =
        configPath => Path.GetDirectoryName(Path.GetFullPath(configPath))!;

    /// <summary>
    /// The keyring for text that is not a file (<c>show</c>, the editors' round trip): the commands set it to the state
    /// directory's at start; otherwise a key that lives only in this process.
    /// </summary>
    public static SecretKeyring Current { get; set; } = new(null, RandomNumberGenerator.GetBytes(KeyLength));

    /// <summary>The key file's path; null for a key that lives only in memory.</summary>
    public string? KeyFile { get; }

    /// <summary>The keyring of the key file in <paramref name="directory"/> (one instance per directory).</summary>
    public static SecretKeyring ForDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var full = Path.GetFullPath(directory);
        return ByDirectory.GetOrAdd(full, d => new SecretKeyring(Path.Combine(d, KeyFileName), null));
    }

    /// <summary>The keyring of a configuration file: the key file in its state directory.</summary>
    public static SecretKeyring ForConfigurationFile(string configPath) => ForDirectory(StateDirectoryOf(configPath));

    /// <summary>The key, made and written (0600) when there is none yet.</summary>
    /// <exception cref="IOException">The key file cannot be read or written.</exception>
    internal byte[] KeyForWriting() => Load(create: true)!;

    /// <summary>The key, or null when the key file does not exist.</summary>
    /// <exception cref="IOException">The key file exists but cannot be read or is damaged.</exception>
    internal byte[]? KeyForReading() => Load(create: false);

    private byte[]? Load(bool create)
    {
        lock (_loading)
        {
            if (_key is not null || KeyFile is null)
            {
                return _key;
            }

            if (!File.Exists(KeyFile))
            {
                if (!create)
                {
                    return null;
                }

                Write(KeyFile);
            }

            _key = Read(KeyFile);
            return _key;
        }
    }

    private static byte[] Read(string path)
    {
        try
        {
            var key = File.ReadAllBytes(path);
            if (key.Length != KeyLength)
            {
                throw new IOException($"{path} is not a SharpSwan secrets key ({key.Length} bytes, expected {KeyLength})");
            }

            if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(path) != OwnerReadWrite)
            {
                File.SetUnixFileMode(path, OwnerReadWrite);
            }

            return key;
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"cannot read {path}: {e.Message}", e);
        }
    }

    /// <summary>Writes a new key to a temporary file first, so no reader ever sees a partial key.</summary>
    private static void Write(string path)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerReadWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(RandomNumberGenerator.GetBytes(KeyLength));
                stream.Flush(flushToDisk: true);
            }

            // Another process may have made one meanwhile: theirs wins, ours is dropped.
            if (!File.Exists(path))
            {
                File.Move(temporary, path, overwrite: false);
            }
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"cannot write {path}: {e.Message}", e);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Lost the race to another process; its key is the one to use.
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
