using System.Diagnostics;
using System.Text.Json;

namespace SharpSwan.Platform.Tests;

/// <summary>Runs iproute2's <c>ip</c> to observe, independently of our code, what the kernel really has.</summary>
internal static class IpTool
{
    public static (int ExitCode, string Output, string Error) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start ip");
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    /// <summary>Runs <c>ip -j ...</c> and returns the JSON array it prints.</summary>
    public static JsonElement Json(params string[] arguments)
    {
        (int exitCode, string output, string error) = Run(["-j", .. arguments]);
        Assert.True(exitCode == 0, $"ip -j {string.Join(' ', arguments)} failed ({exitCode}): {error}");
        using JsonDocument document = JsonDocument.Parse(string.IsNullOrWhiteSpace(output) ? "[]" : output);
        return document.RootElement.Clone();
    }

    public static bool LinkExists(string name) => Run("link", "show", "dev", name).ExitCode == 0;

    /// <summary>The main-table routes through <paramref name="device"/> (objects with dst, protocol, scope, metric, gateway...).</summary>
    public static List<JsonElement> RoutesVia(string device) => [.. Json("route", "show", "table", "main", "dev", device).EnumerateArray()];

    public static JsonElement? RouteTo(string device, string destination) =>
        RoutesVia(device).Cast<JsonElement?>().FirstOrDefault(r => r!.Value.GetProperty("dst").GetString() == destination);

    public static List<JsonElement> Routes6Via(string device) => [.. Json("-6", "route", "show", "table", "main", "dev", device).EnumerateArray()];
}
