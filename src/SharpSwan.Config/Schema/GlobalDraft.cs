namespace SharpSwan.Config;

/// <summary><c>system global</c> while its settings are applied.</summary>
internal sealed class GlobalDraft
{
    public string Hostname { get; set; } = GlobalSettings.DefaultHostname;

    public int? AdminPort { get; set; }

    public int? AdminSport { get; set; }

    public IkeInitLimits IkeLimits { get; set; } = IkeInitLimits.Default;
}
