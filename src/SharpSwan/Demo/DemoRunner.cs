using System.Diagnostics;
using System.Runtime.InteropServices;
using SharpSwan.Platform;

namespace SharpSwan.Demo;

/// <summary>
/// The embedded default: two namespaces joined by a veth pair, a SharpSwan gateway in each (or strongSwan as the second),
/// a tunnel between their LANs, pings across it, then everything removed again, also on Ctrl-C.
/// </summary>
internal static class DemoRunner
{
    public static int Run(string peer, TextWriter output)
    {
        if (!ProcessPrivileges.IsRoot)
        {
            output.WriteLine("sharpswan demo creates network namespaces, tunnel interfaces and routes, which needs root.");
            output.WriteLine("Run it as root: ./sharpswan demo (or sudo ./sharpswan demo)");
            return 1;
        }

        if (peer is not ("sharpswan" or "strongswan"))
        {
            output.WriteLine($"--peer {peer}: expected sharpswan or strongswan");
            return 1;
        }

        // Say which tool is missing up front, rather than "pings did not cross the tunnel" later.
        foreach (var (tool, package) in new[] { ("ip", "iproute2"), ("ping", "iputils-ping") })
        {
            if (!OnPath(tool))
            {
                output.WriteLine($"sharpswan demo needs '{tool}', which is not installed: apt-get install {package}");
                return 1;
            }
        }

        if (peer == "strongswan" && !File.Exists(StrongSwanDemoPeer.Charon))
        {
            output.WriteLine($"--peer strongswan needs strongSwan ({StrongSwanDemoPeer.Charon} is missing): apt-get install strongswan-swanctl strongswan-charon libcharon-extra-plugins libstrongswan-extra-plugins");
            return 1;
        }

        using var scene = new DemoScene(output);
        using var cancel = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            output.WriteLine("interrupted: cleaning up");
            scene.Dispose();
            Environment.Exit(130);
        });
        try
        {
            return scene.Play(peer);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or TimeoutException)
        {
            output.WriteLine($"demo failed: {ex.Message}");
            return 1;
        }
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, tool)));

    internal static (int ExitCode, string Output) Exec(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
