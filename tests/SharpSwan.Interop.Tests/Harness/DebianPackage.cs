namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// The Debian package, unpacked into scratch roots: the one test.sh built for this run (SHARPSWAN_TEST_DEB), else built
/// here once per test process by packaging/build-deb.sh (its publish output is kept in artifacts/package-build, so a
/// later build only recompiles what changed).
/// </summary>
public static class DebianPackage
{
    /// <summary>A self-contained publish from scratch takes minutes on a loaded two-core machine.</summary>
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(12);

    private static readonly Lazy<string> LazyPath = new(Build);

    /// <summary>The .deb; throws with the script's output if it cannot be built.</summary>
    public static string Path => LazyPath.Value;

    /// <summary>Unpacks the package's files into <paramref name="root"/> and its control files into <c>root/DEBIAN</c>.</summary>
    public static void Extract(string root)
    {
        Require(ProcessRunner.Run("dpkg-deb", ["-x", Path, root], TimeSpan.FromMinutes(2)), "dpkg-deb -x");
        Require(ProcessRunner.Run("dpkg-deb", ["-e", Path, System.IO.Path.Combine(root, "DEBIAN")], TimeSpan.FromMinutes(1)), "dpkg-deb -e");
    }

    public static string Field(string name)
    {
        var result = ProcessRunner.Run("dpkg-deb", ["-f", Path, name], TimeSpan.FromSeconds(30));
        Require(result, $"dpkg-deb -f {name}");
        return result.StandardOutput.Trim();
    }

    private static string Build()
    {
        if (Environment.GetEnvironmentVariable("SHARPSWAN_TEST_DEB") is { Length: > 0 } prebuilt && File.Exists(prebuilt))
        {
            return prebuilt;
        }

        var output = System.IO.Path.Combine(RepositoryLayout.Root, "artifacts", "package");
        var result = ProcessRunner.Run(
            System.IO.Path.Combine(RepositoryLayout.Root, "packaging", "build-deb.sh"),
            [output],
            BuildTimeout,
            new Dictionary<string, string> { ["SHARPSWAN_DEB_COMPRESSION"] = "gzip" });
        Require(result, "packaging/build-deb.sh");
        var deb = result.StandardOutput.Trim().Split('\n')[^1];
        if (!File.Exists(deb))
        {
            throw new InvalidOperationException($"packaging/build-deb.sh named {deb}, which does not exist: {result.Describe()}");
        }

        return deb;
    }

    private static void Require(ProcessResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{what} failed: {result.Describe()}");
        }
    }
}
