namespace SharpSwan.Platform;

/// <summary>
/// One client's conversation with the gateway, as the control socket serves it: commands run in order, with state
/// (the configuration context, debug settings) kept between them. Created per connection.
/// </summary>
public interface IControlSession
{
    /// <summary>The prompt for the next command, e.g. <c>sharpswan (phase2-interface) # </c>.</summary>
    string Prompt { get; }

    /// <summary>Runs one command line, writing its answer. The token fires on Ctrl-C, hang-up or server shutdown.</summary>
    Task ExecuteAsync(string command, TextWriter output, CancellationToken cancellation);

    /// <summary>
    /// Runs one command line with its answer as JSON (<c>sharpswan cli --json</c>); a command without a JSON form answers
    /// with an error and a failing return code.
    /// </summary>
    Task ExecuteJsonAsync(string command, TextWriter output, CancellationToken cancellation);

    /// <summary>Words that complete the last word of <paramref name="partialLine"/> (Tab).</summary>
    IReadOnlyList<string> Complete(string partialLine);

    /// <summary>What may follow <paramref name="partialLine"/>, one option per line (<c>?</c>).</summary>
    string Help(string partialLine);
}
