namespace SharpSwan.Pki;

/// <summary>Writes the PEM pair of a `pki` command: NAME.crt readable by all, NAME.key only by its owner.</summary>
internal static class PkiFiles
{
    private const UnixFileMode CertificateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode KeyMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static (string CertificatePath, string KeyPath) Plan(string directory, string name, bool force)
    {
        string fullDirectory;
        try
        {
            fullDirectory = Path.GetFullPath(directory);
            Directory.CreateDirectory(fullDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new PkiException($"--out {directory}: cannot create the directory ({ex.Message})");
        }

        var certificatePath = Path.Combine(fullDirectory, name + ".crt");
        var keyPath = Path.Combine(fullDirectory, name + ".key");
        if (!force)
        {
            foreach (var path in new[] { certificatePath, keyPath })
            {
                if (File.Exists(path))
                {
                    throw new PkiException($"--name {name}: {path} already exists (choose another name, or add --force to overwrite)");
                }
            }
        }

        return (certificatePath, keyPath);
    }

    public static void Write(string certificatePath, string certificatePem, string keyPath, string keyPem)
    {
        try
        {
            WriteWithMode(keyPath, keyPem, KeyMode);
            WriteWithMode(certificatePath, certificatePem, CertificateMode);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PkiException($"cannot write {ex.Message}");
        }
    }

    private static void WriteWithMode(string path, string text, UnixFileMode mode)
    {
        // Replace rather than truncate: a new file gets its mode at creation, so the key is never readable by others.
        File.Delete(path);
        if (OperatingSystem.IsWindows())
        {
            File.WriteAllText(path, text);
            return;
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode };
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }

        // The process umask may have removed bits from the create mode; set exactly what we mean.
        File.SetUnixFileMode(path, mode);
    }
}
