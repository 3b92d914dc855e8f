namespace SharpSwan.Shell;

/// <summary>Answers Tab and <c>?</c> for the line being typed (the gateway does, over the session).</summary>
public interface ICommandAssistant
{
    Task<IReadOnlyList<string>> CompleteAsync(string partialLine);

    Task<string> HelpAsync(string partialLine);
}
