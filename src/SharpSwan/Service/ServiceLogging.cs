using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace SharpSwan.Service;

/// <summary>
/// The operational log (start, stop, reload, errors, admin logins, configuration changes): under systemd the journal's
/// console format (a &lt;N&gt; priority prefix per line, so `journalctl -p err` works), else one plain line on
/// standard error so it never mixes with the IKE debug stream on standard output.
/// </summary>
internal static class ServiceLogging
{
    /// <summary>systemd sets JOURNAL_STREAM when standard output/error go to the journal.</summary>
    public static bool UnderSystemd => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM"))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("INVOCATION_ID"));

    public static ILoggerFactory Create() => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(LogLevel.Information);
        builder.AddFilter("Microsoft", LogLevel.Warning);
        if (UnderSystemd)
        {
            builder.AddSystemdConsole(options => options.IncludeScopes = false);
        }
        else
        {
            builder.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
                options.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }

        // Everything to standard error: standard output is the FortiOS IKE debug stream that people and tests read.
        builder.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
    });
}
