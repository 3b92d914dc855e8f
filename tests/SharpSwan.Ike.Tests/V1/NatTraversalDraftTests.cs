using System.Net;
using System.Security.Cryptography;
using System.Text;
using SharpSwan.Crypto;
using SharpSwan.Ike.V1.Wire;
using SharpSwan.Testing;

namespace SharpSwan.Ike.Tests.V1;

/// <summary>
/// NAT traversal with peers that announce only a draft (draft-ietf-ipsec-nat-t-ike-02, -02\n, -03): the main-mode
/// responder answers with the best version the peer announced and, for a draft, sends its NAT-D payloads under the draft
/// number 130. Messages 1 and 3 are built here as such a peer sends them.
/// </summary>
public sealed class NatTraversalDraftTests
{
    private const string Hub = "198.51.100.2";
    private const string Peer = "192.0.2.1";
    private const ulong InitiatorCookie = 0x0A0B0C0D01020304;

    private const string Configuration = """
        config vpn ipsec phase1-interface
            edit "to-peer"
                set interface "eth0"
                set ike-version 1
                set remote-gw 192.0.2.1
                set proposal aes128-sha256
                set dhgrp 14
                set dpd disable
                set auto-negotiate disable
                set psksecret "draft-nat-t-psk-value"
            next
        end
        config vpn ipsec phase2-interface
            edit "to-peer-p2"
                set phase1name "to-peer"
                set proposal aes128-sha256
                set dhgrp 14
                set src-subnet 10.1.0.0 255.255.255.0
                set dst-subnet 10.2.0.0 255.255.255.0
            next
        end
        """;

    [Theory]
    [InlineData(new[] { "draft-ietf-ipsec-nat-t-ike-03" }, "draft-ietf-ipsec-nat-t-ike-03", IsakmpPayloadType.NatDiscoveryDraft)]
    [InlineData(new[] { "draft-ietf-ipsec-nat-t-ike-02\n", "draft-ietf-ipsec-nat-t-ike-02" }, "draft-ietf-ipsec-nat-t-ike-02", IsakmpPayloadType.NatDiscoveryDraft)]
    [InlineData(new[] { "draft-ietf-ipsec-nat-t-ike-02\n" }, "draft-ietf-ipsec-nat-t-ike-02\n", IsakmpPayloadType.NatDiscoveryDraft)]
    [InlineData(new[] { "draft-ietf-ipsec-nat-t-ike-03", "RFC 3947" }, "RFC 3947", IsakmpPayloadType.NatDiscovery)]
    public void Main_mode_responder_answers_the_best_announced_version_and_numbers_its_nat_d_for_it(string[] announced, string chosen, IsakmpPayloadType natD)
    {
        using var network = new EngineNetwork();
        var hub = network.Add("hub", Hub, Configuration);

        var first = Send(network, hub, Header(0), [IsakmpTestDataOffer(), .. announced.Select(name => new VendorIdPayload(VendorId(name)))]);
        var natTVids = first.All<VendorIdPayload>().Select(v => v.Data).Where(IsNatTVendorId).ToList();
        Assert.Equal(VendorId(chosen), Assert.Single(natTVids));

        using var dh = KeyExchange.Create(DiffieHellmanGroup.Modp2048, new SeededRandomSource(7));
        var third = Send(network, hub, Header(first.Header.ResponderCookie),
        [
            new KeyExchangePayload(dh.PublicValue),
            new NoncePayload(Filled(32, 0x5A)),
            new NatDiscoveryPayload(Filled(32, 0x01), Draft: natD == IsakmpPayloadType.NatDiscoveryDraft),
            new NatDiscoveryPayload(Filled(32, 0x02), Draft: natD == IsakmpPayloadType.NatDiscoveryDraft),
        ]);
        var discovery = third.All<NatDiscoveryPayload>().ToList();
        Assert.Equal(2, discovery.Count);
        Assert.All(discovery, d => Assert.Equal(natD, d.Type));
    }

    [Fact]
    public void Draft_payload_numbers_decode_as_the_same_payloads_and_encode_back_under_their_number()
    {
        var hash = Filled(32, 0x33);
        byte[] datagram = IsakmpCodec.Encode(Header(0), [new NatDiscoveryPayload(hash, Draft: true), new NatOriginalAddressPayload(IPAddress.Parse("10.0.0.9"), Draft: true)]);

        var message = IsakmpCodec.Decode(datagram).Message!;
        var natD = Assert.Single(message.All<NatDiscoveryPayload>());
        var natOa = Assert.Single(message.All<NatOriginalAddressPayload>());
        Assert.Equal(IsakmpPayloadType.NatDiscoveryDraft, natD.Type);
        Assert.Equal(hash, natD.Hash);
        Assert.Equal((IsakmpPayloadType.NatOriginalAddressDraft, IPAddress.Parse("10.0.0.9")), (natOa.Type, natOa.Address));
        Assert.Equal((byte)130, datagram[16]);
    }

    private static IsakmpMessage Send(EngineNetwork network, EngineNetwork.Node hub, IsakmpHeader header, IReadOnlyList<IsakmpPayload> payloads)
    {
        network.Unrouted.Clear();
        hub.Engine.ReceiveDatagram(new IPEndPoint(IPAddress.Parse(Hub), 500), new IPEndPoint(IPAddress.Parse(Peer), 500), IsakmpCodec.Encode(header, payloads));
        network.Run(TimeSpan.Zero);
        var answer = Assert.Single(network.Unrouted);
        var parsed = IsakmpCodec.Decode(answer.Bytes);
        Assert.True(parsed.Success, parsed.Detail);
        return parsed.Message!;
    }

    private static IsakmpHeader Header(ulong responderCookie) =>
        new(InitiatorCookie, responderCookie, IsakmpPayloadType.None, IsakmpExchangeType.IdentityProtection, IsakmpFlags.None, 0, 0);

    /// <summary>AES-128, SHA-256, pre-shared key, MODP-2048: the transform the hub's proposal accepts.</summary>
    private static SecurityAssociationPayload IsakmpTestDataOffer() => new([new IsakmpProposal(1, IsakmpProposal.ProtocolIsakmp, [], [IsakmpTestData.Phase1Transform(1, keyBits: 128, hash: 4)])]);

    /// <summary>NAT-T vendor IDs are the MD5 of the version's name (RFC 3947 §3.1 and the drafts alike).</summary>
    private static byte[] VendorId(string name) => MD5.HashData(Encoding.ASCII.GetBytes(name));

    private static bool IsNatTVendorId(byte[] data) =>
        new[] { "RFC 3947", "draft-ietf-ipsec-nat-t-ike-03", "draft-ietf-ipsec-nat-t-ike-02", "draft-ietf-ipsec-nat-t-ike-02\n" }.Any(n => VendorId(n).AsSpan().SequenceEqual(data));

    private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();
}
