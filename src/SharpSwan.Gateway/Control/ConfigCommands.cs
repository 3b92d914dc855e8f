using SharpSwan.Cli.Editing;
using SharpSwan.Config;
using SharpSwan.Config.Editing;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Control;

/// <summary>
/// The configuration side of the control socket: each client session gets its own <see cref="ConfigEditor"/> (kept
/// in <see cref="ControlSession.Items"/>); finished changes go, one at a time, through the gateway's
/// <see cref="IConfigurationApplier"/> and, once applied, to the configuration file.
/// </summary>
public sealed class ConfigCommands : IDisposable
{
    private const string EditorKey = "config-editor";

    private readonly IConfigurationApplier _applier;
    private readonly ConfigurationStore? _store;
    private readonly StaleEditTracker _tracker;
    private readonly bool _ownsTracker;

    /// <param name="applier">The running gateway.</param>
    /// <param name="store">Where applied configurations are saved; null to keep changes in memory only.</param>
    /// <param name="tracker">
    /// The gateway's one stale-edit tracker, shared with the web GUI and REST API; null for one of this instance's own.
    /// </param>
    public ConfigCommands(IConfigurationApplier applier, ConfigurationStore? store, StaleEditTracker? tracker = null)
    {
        ArgumentNullException.ThrowIfNull(applier);
        _applier = applier;
        _store = store;
        _ownsTracker = tracker is null;
        _tracker = tracker ?? new StaleEditTracker(() => _applier.Current);
    }

    /// <summary>The tracker every CLI session commits through.</summary>
    public StaleEditTracker Tracker => _tracker;

    /// <summary>The session's editor, made on first use.</summary>
    public ConfigEditor EditorFor(ControlSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Items.TryGetValue(EditorKey, out var existing) && existing is ConfigEditor editor)
        {
            return editor;
        }

        // A committer per session, sharing the one tracker, so the gateway learns who made each change.
        var author = session.Author;
        editor = new ConfigEditor(new ConfigurationCommitter(_tracker, (proposed, cancellation) => ApplyAndSaveAsync(proposed, author, cancellation)), OperationalCommands.Tree);
        session.Items[EditorKey] = editor;
        return editor;
    }

    /// <summary>Handles the line when it is the editor's (config, show, get of a table, or anything inside a config block).</summary>
    /// <returns>False when the line is for another command group.</returns>
    public async Task<bool> TryHandleAsync(ControlSession session, string command, TextWriter output, CancellationToken cancellation)
    {
        var editor = EditorFor(session);
        if (!editor.Handles(command))
        {
            return false;
        }

        await editor.ExecuteAsync(command, output, cancellation);
        return true;
    }

    public void Dispose()
    {
        if (_ownsTracker)
        {
            _tracker.Dispose();
        }
    }

    private async Task<CommitResult> ApplyAndSaveAsync(GatewayConfiguration proposed, ChangeAuthor author, CancellationToken cancellation)
    {
        var result = await _applier.ApplyAsync(proposed, author, cancellation);
        if (!result.Applied)
        {
            return CommitResult.Refused(result.Error ?? "the gateway could not apply the change");
        }

        if (_store is null)
        {
            return CommitResult.Success;
        }

        try
        {
            _store.Save(proposed);
            return CommitResult.Success;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The gateway runs the change already; the administrator must know the file does not have it.
            return CommitResult.Success with { Notes = [$"warning: the change is applied but {_store.Path} could not be saved: {ex.Message}"] };
        }
    }

    /// <summary>A control-socket session: the handler's commands, this session's state, the editor's prompt and help.</summary>
    internal sealed class Session(ControlCommandHandler handler, ConfigCommands? configuration, ControlSession state) : IControlSession
    {
        private readonly ControlSession _state = state;

        public string Prompt => configuration?.EditorFor(_state).Prompt ?? ConfigEditor.DefaultPromptName + " # ";

        public Task ExecuteAsync(string command, TextWriter output, CancellationToken cancellation) =>
            handler.HandleAsync(_state, command, output, cancellation);

        public Task ExecuteJsonAsync(string command, TextWriter output, CancellationToken cancellation) =>
            handler.HandleJsonAsync(_state, command, output, cancellation);

        public IReadOnlyList<string> Complete(string partialLine) => configuration?.EditorFor(_state).Complete(partialLine) ?? [];

        public string Help(string partialLine) => configuration?.EditorFor(_state).Help(partialLine) ?? "";
    }
}
