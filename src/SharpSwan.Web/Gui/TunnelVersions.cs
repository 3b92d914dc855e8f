using System.Text;
using System.Text.Json;
using SharpSwan.Config;
using SharpSwan.Config.Editing;

namespace SharpSwan.Web.Gui;

/// <summary>
/// What the tunnel edit page opened, in the shared tracker's terms: the <see cref="EntryVersion"/> of the phase1-interface
/// and of each phase2-interface that belongs to it, carried through the form as one hidden field.
/// </summary>
internal static class TunnelVersions
{
    public const string FieldName = "entry-versions";

    public static IReadOnlyList<EntryVersion> Of(GatewayConfiguration configuration, string name)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var policyBased = configuration.FindPhase1(name) is { IsInterfaceMode: false };
        return
        [
            StaleEditTracker.VersionOf(configuration, policyBased ? TunnelForm.PolicyPhase1Path : TunnelForm.Phase1Path, name),
            .. StaleEditTracker.VersionsOf(configuration, policyBased ? TunnelForm.PolicyPhase2Path : TunnelForm.Phase2Path, (_, field) => field("phase1name") == name),
        ];
    }

    public static string Encode(IReadOnlyList<EntryVersion> versions) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(versions)));

    /// <summary>Null when the field is missing or damaged (then nothing is checked, as for a script's post).</summary>
    public static IReadOnlyList<EntryVersion>? Decode(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<List<EntryVersion>>(Convert.FromBase64String(encoded));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The check run under the tracker's lock before a save: null when the page's entries are as they were.</summary>
    public static Func<GatewayConfiguration, EditError?>? StillCurrent(string? encoded, string? name) =>
        name is null || Decode(encoded) is not { } opened ? null : configuration => StaleEditTracker.Compare(opened, Of(configuration, name));
}
