using System.Security.Cryptography;
using System.Text;

namespace SharpSwan.Config.Editing;

/// <summary>
/// One per running gateway, shared by every editor: the CLI sessions (through <see cref="ConfigurationCommitter"/>) and
/// the web GUI and REST API. Changes commit one at a time under its lock, so no editor merges onto a configuration another
/// is replacing; and whether an entry changed since an editor opened it is judged the same way everywhere, by
/// <see cref="EntryVersion"/>, with the same refusal.
/// </summary>
public sealed class StaleEditTracker(Func<GatewayConfiguration> current) : IDisposable
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>The configuration in force now.</summary>
    public GatewayConfiguration Current => current();

    /// <summary>
    /// Runs <paramref name="commit"/> with the configuration in force, no other editor's commit running meanwhile.
    /// </summary>
    public async Task<T> CommitExclusiveAsync<T>(Func<GatewayConfiguration, Task<T>> commit, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(commit);
        await _oneAtATime.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            return await commit(current()).ConfigureAwait(false);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>The version of an entry in <paramref name="configuration"/>.</summary>
    public static EntryVersion VersionOf(GatewayConfiguration configuration, string path, string name)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return VersionOf(EditableDocument.FromConfiguration(configuration), path, name);
    }

    /// <summary>The versions of every entry of <paramref name="path"/> that <paramref name="include"/> picks (by its settings).</summary>
    public static IReadOnlyList<EntryVersion> VersionsOf(
        GatewayConfiguration configuration, string path, Func<string, Func<string, string?>, bool> include)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(include);
        var document = EditableDocument.FromConfiguration(configuration);
        return [.. document.Entries(path)
            .Where(e => include(e.Name, field => e.Find(field) is { Values: [var only] } ? only : null))
            .Select(e => new EntryVersion(path, e.Name, Hash(e)))];
    }

    /// <summary>
    /// Null when every entry an editor opened (<paramref name="opened"/>) is as it was and no other entry of the same set
    /// appeared (<paramref name="now"/>: the same set, computed from the configuration in force); else the refusal.
    /// </summary>
    public static EditError? Compare(IReadOnlyList<EntryVersion> opened, IReadOnlyList<EntryVersion> now)
    {
        ArgumentNullException.ThrowIfNull(opened);
        ArgumentNullException.ThrowIfNull(now);
        foreach (var before in opened)
        {
            var after = now.FirstOrDefault(v => v.Path == before.Path && v.Name == before.Name);
            if (after?.Hash != before.Hash)
            {
                return StaleError(before.Path, before.Name, before.Hash is null ? "was created" : after?.Hash is null ? "was deleted" : "was changed");
            }
        }

        var created = now.FirstOrDefault(v => v.Hash is not null && !opened.Any(o => o.Path == v.Path && o.Name == v.Name));
        return created is null ? null : StaleError(created.Path, created.Name, "was created");
    }

    /// <summary>The one wording of the refusal, for the CLI and the web alike.</summary>
    public static EditError StaleError(string path, string name, string how)
    {
        var what = name.Length == 0 ? $"config {path}" : $"entry '{name}' of config {path}";
        return new EditError(
            $"{what} {how} by another session since you began editing it\nyour change is not applied: 'abort', then edit it again",
            EditError.Conflict);
    }

    public void Dispose() => _oneAtATime.Dispose();

    internal static EntryVersion VersionOf(EditableDocument document, string path, string name) =>
        new(path, name, document.Find(path, name) is { } entry ? Hash(entry) : null);

    internal static string Hash(EditableEntry entry) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(entry.Fingerprint())).AsSpan(0, 12));
}
