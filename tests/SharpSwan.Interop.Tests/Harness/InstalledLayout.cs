namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// The package unpacked into a scratch root, with the paths the service unit uses (/etc/sharpswan/sharpswan.conf,
/// /var/lib/sharpswan, /run/sharpswan/sharpswan.sock) mapped below it.
/// </summary>
public sealed class InstalledLayout : IDisposable
{
    private InstalledLayout(string root) => Root = root;

    public string Root { get; }

    public string Binary => Under("/usr/bin/sharpswan");

    public string ConfigPath => Under("/etc/sharpswan/sharpswan.conf");

    public string StateDirectory => Under("/var/lib/sharpswan");

    public string ControlSocket => Under("/run/sharpswan/sharpswan.sock");

    public string UnitPath => Under("/lib/systemd/system/sharpswan.service");

    public string ControlDirectory => Under("/DEBIAN");

    public static InstalledLayout Create(string label)
    {
        var layout = new InstalledLayout(RepositoryLayout.CreateWorkDirectory(label));
        DebianPackage.Extract(layout.Root);
        return layout;
    }

    /// <summary>An absolute path of the installed system, below the scratch root.</summary>
    public string Under(string absolute) => Path.Combine(Root, absolute.TrimStart('/'));

    /// <summary>The unit as installed, with its binary path moved into the scratch root (for systemd-analyze verify).</summary>
    public string UnitForVerification()
    {
        var path = Path.Combine(Root, "sharpswan.service");
        File.WriteAllText(path, File.ReadAllText(UnitPath).Replace("/usr/bin/sharpswan", Binary, StringComparison.Ordinal));
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // The scratch root is swept by test.sh.
        }
    }
}
