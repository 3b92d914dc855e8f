using System.Net;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Tests.Support;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// Issue 11, item 3: the IKE_SA_INIT responder under a flood from spoofed sources. Seeded engines on a virtual clock; each
/// rule (cookie threshold, global and per-source half-open caps, size cap, rotating cookie secret) has its own test.
/// </summary>
public sealed class InitFloodTests
{
    [Fact]
    public void Below_the_configured_threshold_requests_get_state_and_from_it_on_only_a_cookie_and_no_Diffie_Hellman()
    {
        using var rig = new FloodRig("set ike-cookie-threshold 4");

        rig.Flood(40, FloodRig.Spoofed);

        Assert.Equal(4, rig.Hub.Of<IkeSaInitAnswered>().Count);
        Assert.Equal(36, rig.Hub.Of<CookieDemanded>().Count);
        Assert.Equal(4, rig.Hub.Engine.HalfOpenCount);
        Assert.Equal(36, rig.Hub.Engine.Statistics.CookiesSent);
        var answer = Assert.Single(rig.AnswersTo(FloodRig.Spoofed(39)));
        var cookie = Assert.IsType<NotifyPayload>(Assert.Single(answer.Payloads));
        Assert.Equal(NotifyType.Cookie, cookie.NotifyType);
        // No key exchange in a cookie demand: nothing was computed for the peer.
        Assert.Null(answer.Find<KeyExchangePayload>());
    }

    [Fact]
    public void A_legitimate_peer_still_establishes_under_the_flood_by_returning_the_cookie()
    {
        using var rig = new FloodRig("set ike-cookie-threshold 4");
        rig.Flood(200, FloodRig.Spoofed);

        Assert.True(rig.ClientNode.Engine.Initiate(FloodRig.Client, FloodRig.ClientPhase2));
        rig.Network.Run(TimeSpan.FromSeconds(10));

        Assert.NotEmpty(rig.ClientNode.Of<RetryingWithCookie>());
        Assert.Single(rig.ClientNode.Of<IkeSaEstablished>());
        Assert.Contains(rig.Hub.Of<CookieDemanded>(), e => e.Remote!.Address.Equals(IPAddress.Parse(FloodRig.ClientAddress)));
        Assert.Equal(4 + 1, rig.Hub.Of<IkeSaInitAnswered>().Count);
    }

    [Fact]
    public void A_cookie_counts_after_one_secret_rotation_but_not_after_two_and_then_the_peer_gets_a_fresh_one()
    {
        using var rig = new FloodRig("set ike-cookie-threshold 0");
        var source = FloodRig.Spoofed(7);
        var first = rig.NewRequest();
        rig.Send(first, source);
        var cookie = CookieOf(Assert.Single(rig.AnswersTo(source)));
        Assert.Equal(33, cookie.Length);
        var version = cookie[0];

        rig.Network.Run(InitCookies.SecretLifetime + TimeSpan.FromSeconds(10));
        rig.Flood(1, FloodRig.Spoofed);
        Assert.Equal(version + 1, rig.Hub.Engine.Statistics.CookieSecretVersion);
        rig.Send(WithCookie(first, cookie), source);
        Assert.Single(rig.Hub.Of<IkeSaInitAnswered>(), e => e.Remote!.Address.Equals(source));

        var second = rig.NewRequest();
        var other = FloodRig.Spoofed(8);
        rig.Send(second, other);
        var old = CookieOf(rig.AnswersTo(other).Last());
        for (var i = 0; i < 2; i++)
        {
            rig.Network.Run(InitCookies.SecretLifetime + TimeSpan.FromSeconds(10));
            rig.Flood(1, FloodRig.Spoofed);
        }

        var answersBefore = rig.AnswersTo(other).Count;
        rig.Send(WithCookie(second, old), other);

        Assert.DoesNotContain(rig.Hub.Of<IkeSaInitAnswered>(), e => e.Remote!.Address.Equals(other));
        Assert.Equal(1, rig.Hub.Engine.Statistics.CookiesRejected);
        var fresh = CookieOf(rig.AnswersTo(other)[answersBefore]);
        Assert.Equal(version + 3, fresh[0]);
    }

    [Fact]
    public void A_forged_cookie_is_refused_and_answered_with_a_real_one()
    {
        using var rig = new FloodRig("set ike-cookie-threshold 0");
        var source = FloodRig.Spoofed(3);
        var forged = new byte[33];
        forged[0] = 0;

        rig.Send(WithCookie(rig.NewRequest(), forged), source);

        Assert.Empty(rig.Hub.Of<IkeSaInitAnswered>());
        Assert.Equal(1, rig.Hub.Engine.Statistics.CookiesRejected);
        Assert.NotEqual(forged, CookieOf(Assert.Single(rig.AnswersTo(source))));
    }

    [Fact]
    public void No_more_half_open_SAs_than_the_embryonic_limit_exist_the_rest_are_dropped_unanswered_and_counted()
    {
        using var rig = new FloodRig("set ike-cookie-threshold 20000\n    set ike-embryonic-limit 50\n    set ike-embryonic-limit-per-source 20000");

        rig.Flood(60, FloodRig.Spoofed);

        Assert.Equal(50, rig.Hub.Engine.HalfOpenCount);
        Assert.Equal(50, rig.Hub.Of<IkeSaInitAnswered>().Count);
        Assert.Equal(10, rig.Hub.Engine.Statistics.InitHalfOpenLimit);
        Assert.Equal(10, rig.Hub.Of<InitRequestDropped>().Count(e => e.Reason == InitRequestDropReason.HalfOpenLimit));
        Assert.Empty(rig.AnswersTo(FloodRig.Spoofed(55)));
    }

    [Fact]
    public void One_source_gets_at_most_its_per_source_share_of_half_open_SAs_and_other_sources_are_still_answered()
    {
        using var rig = new FloodRig("set ike-cookie-threshold 20000\n    set ike-embryonic-limit-per-source 3");
        var attacker = IPAddress.Parse("10.99.0.1");

        rig.Flood(10, _ => attacker);
        rig.Flood(1, _ => IPAddress.Parse("10.99.0.2"));

        Assert.Equal(3, rig.Hub.Of<IkeSaInitAnswered>().Count(e => e.Remote!.Address.Equals(attacker)));
        Assert.Single(rig.Hub.Of<IkeSaInitAnswered>(), e => e.Remote!.Address.Equals(IPAddress.Parse("10.99.0.2")));
        Assert.Equal(7, rig.Hub.Engine.Statistics.InitSourceLimit);
        Assert.Equal(7, rig.Hub.Of<InitRequestDropped>().Count(e => e.Reason == InitRequestDropReason.SourceLimit));

        // Once the attacker's half-open SAs time out (negotiate-timeout), it has its share again.
        rig.Network.Run(TimeSpan.FromSeconds(40));
        rig.Flood(1, _ => attacker);
        Assert.Equal(4, rig.Hub.Of<IkeSaInitAnswered>().Count(e => e.Remote!.Address.Equals(attacker)));
    }

    [Fact]
    public void An_oversized_IKE_SA_INIT_is_dropped_before_it_is_read()
    {
        using var rig = new FloodRig("set ike-cookie-threshold 20000");
        var source = FloodRig.Spoofed(1);
        var request = rig.NewRequest();
        var oversized = new byte[IkeEngine.MaxInitRequestBytes + 1];
        request.CopyTo(oversized, 0);

        rig.Send(oversized, source);
        rig.Send(request, source);

        Assert.Equal(1, rig.Hub.Engine.Statistics.InitTooLarge);
        Assert.Single(rig.Hub.Of<InitRequestDropped>(), e => e.Reason == InitRequestDropReason.TooLarge);
        Assert.Single(rig.Hub.Of<IkeSaInitAnswered>());
        Assert.Empty(rig.Hub.Of<MalformedMessageDropped>());
    }

    [Fact]
    public void The_cookie_threshold_is_a_system_global_setting_that_defaults_to_a_few_dozen()
    {
        using var rig = new FloodRig("set hostname \"hub\"");
        Assert.Equal(Config.IkeInitLimits.Default, rig.Hub.Engine.Configuration.Global.IkeLimits);

        rig.Flood(100, FloodRig.Spoofed);

        Assert.Equal(Config.IkeInitLimits.Default.CookieThreshold, rig.Hub.Of<IkeSaInitAnswered>().Count);
        Assert.InRange(Config.IkeInitLimits.Default.CookieThreshold, 20, 64);
    }

    [Fact]
    public void Requests_with_bad_key_shares_leave_no_half_open_SA_but_still_count_as_load_toward_the_cookie_threshold()
    {
        using var rig = new FloodRig("set ike-cookie-threshold 4");
        var parsed = IkeMessageCodec.Decode(rig.Template, null).Message!;
        IkeHeader.TryRead(rig.Template, out var header);
        var ke = parsed.Find<KeyExchangePayload>()!;
        var bad = IkeMessageCodec.Encode(header, [.. parsed.Payloads.Select(p => p == ke ? new KeyExchangePayload(ke.Group, new byte[ke.Data.Length]) : p)]);

        for (var i = 0; i < 40; i++)
        {
            var request = bad.ToArray();
            request[7] = (byte)i;
            rig.Send(request, FloodRig.Spoofed(i));
        }

        Assert.Equal(0, rig.Hub.Engine.HalfOpenCount);
        Assert.Equal(36, rig.Hub.Engine.Statistics.CookiesSent);
    }

    private static byte[] CookieOf(IkeMessage answer) =>
        Assert.Single(answer.Payloads.OfType<NotifyPayload>(), n => n.NotifyType == NotifyType.Cookie).Data;

    private static byte[] WithCookie(byte[] request, byte[] cookie)
    {
        var parsed = IkeMessageCodec.Decode(request, null);
        Assert.True(parsed.Success);
        IkeHeader.TryRead(request, out var header);
        return IkeMessageCodec.Encode(header, [new NotifyPayload(ProtocolId.None, [], NotifyType.Cookie, cookie), .. parsed.Message!.Payloads]);
    }
}
