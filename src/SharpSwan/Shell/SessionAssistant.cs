using SharpSwan.Platform;

namespace SharpSwan.Shell;

/// <summary>Tab and <c>?</c> answered by the gateway over the session.</summary>
internal sealed class SessionAssistant(ControlSessionClient client) : ICommandAssistant
{
    public Task<IReadOnlyList<string>> CompleteAsync(string partialLine) => client.CompleteAsync(partialLine, CancellationToken.None);

    public Task<string> HelpAsync(string partialLine) => client.HelpAsync(partialLine, CancellationToken.None);
}
