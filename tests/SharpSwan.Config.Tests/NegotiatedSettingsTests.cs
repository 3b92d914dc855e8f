using SharpSwan.Config;

namespace SharpSwan.Config.Tests;

/// <summary>
/// Which live phase-2 edits leave its SAs in place (Phase2Settings.SameNegotiatedSettings): those of settings no SA was
/// negotiated with. Everything an SA was negotiated with (proposals, PFS, selectors, lifetime) renegotiates.
/// </summary>
public sealed class NegotiatedSettingsTests
{
    private static readonly Phase2Settings Base = new() { Name = "p2", Phase1Name = "p1" };

    public static TheoryData<string, Phase2Settings> Unnegotiated => new()
    {
        { "keepalive", Base with { Keepalive = true } },
        { "auto-negotiate", Base with { AutoNegotiate = true } },
        { "trigger-queue", Base with { TriggerQueue = 64 } },
        { "inbound-dscp-copy", Base with { InboundDscpCopy = true, CopiesInboundDscp = true } },
        { "comments", Base with { Comments = "moved to the new office" } },
        { "several", Base with { Keepalive = true, AutoNegotiate = true, Comments = "x" } },
    };

    public static TheoryData<string, Phase2Settings> Negotiated => new()
    {
        { "keylifeseconds", Base with { KeyLifeSeconds = 7200 } },
        { "pfs", Base with { Pfs = false } },
        { "replay", Base with { Replay = false } },
        { "proposal", Base with { Proposals = [EspProposal.Parse("aes128-sha1")] } },
        { "src-subnet", Base with { Source = AddressSelector.FromSubnet(System.Net.IPAddress.Parse("10.1.0.0"), 24) } },
        { "auto-negotiate and keylifeseconds", Base with { AutoNegotiate = true, KeyLifeSeconds = 7200 } },
    };

    [Theory]
    [MemberData(nameof(Unnegotiated))]
    public void A_change_of_settings_no_SA_depends_on_keeps_the_SAs(string setting, Phase2Settings changed)
    {
        Assert.False(changed.Equals(Base), setting);
        Assert.True(Base.SameNegotiatedSettings(changed), setting);
        Assert.True(changed.SameNegotiatedSettings(Base), setting);
        Assert.Equal(changed, Base.WithUnnegotiatedSettingsOf(changed));
    }

    [Theory]
    [MemberData(nameof(Negotiated))]
    public void A_change_of_what_an_SA_was_negotiated_with_renegotiates(string setting, Phase2Settings changed)
    {
        Assert.False(Base.SameNegotiatedSettings(changed), setting);
        Assert.False(changed.SameNegotiatedSettings(Base), setting);
    }
}
