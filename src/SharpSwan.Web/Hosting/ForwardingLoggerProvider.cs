using Microsoft.Extensions.Logging;

namespace SharpSwan.Web.Hosting;

/// <summary>Hands the web host's loggers out of the gateway's one logger factory, which the gateway owns and disposes.</summary>
internal sealed class ForwardingLoggerProvider(ILoggerFactory loggers) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => loggers.CreateLogger(categoryName);

    public void Dispose()
    {
        // The factory belongs to the gateway.
    }
}
