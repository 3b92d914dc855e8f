using System.Diagnostics;

namespace SharpSwan.Gateway.Policy;

/// <summary>Runs <c>nft</c> or <c>ip</c> with an argument list (never through a shell), feeding a script on standard input.</summary>
internal static class ExternalCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Null on success, else why it failed (exit code and standard error).</summary>
    public static string? Run(string program, IReadOnlyList<string> arguments, string? input = null) =>
        Run(program, arguments, input, out _);

    /// <summary>As <see cref="Run(string, IReadOnlyList{string}, string?)"/>, also giving what the program printed.</summary>
    public static string? Run(string program, IReadOnlyList<string> arguments, string? input, out string output)
    {
        output = "";
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = input is not null,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        // nft reads and prints schedule times (meta hour, meta time) in its own time zone; SharpSwan's schedules are UTC.
        start.Environment["TZ"] = "UTC";
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
            if (input is not null)
            {
                process.StandardInput.Write(input);
                process.StandardInput.Close();
            }

            var error = process.StandardError.ReadToEndAsync();
            var printed = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return $"{program} {string.Join(' ', arguments)}: no answer in {Timeout.TotalSeconds:0} s";
            }

            output = printed.Result;
            return process.ExitCode == 0 ? null : $"{program} {string.Join(' ', arguments)}: exit {process.ExitCode}: {error.Result.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"{program}: {ex.Message} (install nftables and iproute2)";
        }
    }
}
