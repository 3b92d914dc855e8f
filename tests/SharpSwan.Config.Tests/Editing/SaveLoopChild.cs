using System.Runtime.CompilerServices;

namespace SharpSwan.Config.Tests.Editing;

/// <summary>
/// The child process of the kill-during-save test: this test assembly started with <c>dotnet exec</c> and
/// <see cref="Variable"/> naming a file saves that file in a loop, printing "saved N" after each save, until killed.
/// Inside the test host the variable is absent and nothing happens.
/// </summary>
internal static class SaveLoopChild
{
    public const string Variable = "SHARPSWAN_TEST_SAVE_LOOP";

#pragma warning disable CA2255 // The test assembly doubles as the child program; an initializer is how it gets control before the generated Main.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RunWhenAskedTo()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } path)
        {
            return;
        }

        var store = new ConfigurationStore(path);
        var baseConfiguration = ConfigurationLoader.Parse(BaseConfiguration.Text, "base.conf").Configuration!;
        for (var n = 1; ; n++)
        {
            store.Save(Revision(baseConfiguration, n));
            Console.Out.WriteLine($"saved {n}");
            Console.Out.Flush();
        }
    }

    /// <summary>A configuration that names its revision in the hostname, with some bulk so a save takes a while.</summary>
    public static GatewayConfiguration Revision(GatewayConfiguration configuration, int n) => configuration with
    {
        Global = configuration.Global with { Hostname = $"rev-{n}" },
        StaticRoutes = [.. Enumerable.Range(1, 1 + (n % 50)).Select(i => new StaticRoute(i, System.Net.IPAddress.Parse($"10.{i}.0.0"), 16, "to-branch", System.Net.IPAddress.Any, 10, true, 0))],
    };
}
