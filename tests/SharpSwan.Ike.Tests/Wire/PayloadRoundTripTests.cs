using System.Net;
using SharpSwan.Crypto;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Tests.Wire;

/// <summary>Every payload type survives Encode → Decode with all fields intact, and its octets match RFC 7296 §3.</summary>
public sealed class PayloadRoundTripTests
{
    private static T RoundTrip<T>(T payload)
        where T : IkePayload
    {
        var header = WireTestData.RequestHeader(ExchangeType.Informational, 3);
        byte[] encoded = IkeMessageCodec.Encode(header, [payload]);
        var result = IkeMessageCodec.Decode(encoded, protector: null);
        Assert.True(result.Success, result.Detail);
        var decoded = Assert.IsType<T>(Assert.Single(result.Message!.Payloads));
        Assert.Equal(encoded, IkeMessageCodec.Encode(result.Message.Header, result.Message.Payloads));
        return decoded;
    }

    /// <summary>The payload octets (generic header included) as the encoder lays them out after the IKE header.</summary>
    private static string PayloadHex(IkePayload payload) =>
        Convert.ToHexStringLower(IkeMessageCodec.Encode(WireTestData.RequestHeader(ExchangeType.Informational), [payload])[IkeHeader.Size..]);

    [Fact]
    public void Security_association_keeps_proposals_transforms_and_key_lengths()
    {
        var sent = WireTestData.IkeProposals();

        var received = RoundTrip(sent);

        Assert.Equal(2, received.Proposals.Count);
        for (int i = 0; i < sent.Proposals.Count; i++)
        {
            Assert.Equal(sent.Proposals[i].Number, received.Proposals[i].Number);
            Assert.Equal(sent.Proposals[i].Protocol, received.Proposals[i].Protocol);
            Assert.Equal(sent.Proposals[i].Spi, received.Proposals[i].Spi);
            Assert.Equal(sent.Proposals[i].Transforms, received.Proposals[i].Transforms);
        }
    }

    [Fact]
    public void Security_association_octets_follow_the_proposal_and_transform_layout()
    {
        var sa = new SecurityAssociationPayload(
        [
            new Proposal(1, ProtocolId.Esp, [0xAA, 0xBB, 0xCC, 0xDD],
            [
                new Transform(TransformType.Encryption, 12, 128),
                new Transform(TransformType.ExtendedSequenceNumbers, 0, null),
            ]),
        ]);

        // SA header | proposal (last, len 0x20, #1, ESP, SPI size 4, 2 transforms, SPI) | ENCR 12 + keylen 128 | ESN 0 (last).
        Assert.Equal(
            "00000024" + "00000020" + "01030402" + "aabbccdd" + "0300000c0100000c800e0080" + "0000000805000000",
            PayloadHex(sa));
    }

    [Fact]
    public void Esp_proposal_with_spi_round_trips()
    {
        var sent = new SecurityAssociationPayload([new Proposal(1, ProtocolId.Esp, [1, 2, 3, 4], [new Transform(TransformType.Encryption, 20, 256), new Transform(TransformType.ExtendedSequenceNumbers, 1, null)])]);

        var received = RoundTrip(sent);

        var proposal = Assert.Single(received.Proposals);
        Assert.Equal(ProtocolId.Esp, proposal.Protocol);
        Assert.Equal([1, 2, 3, 4], proposal.Spi);
        Assert.Equal(sent.Proposals[0].Transforms, proposal.Transforms);
    }

    [Fact]
    public void Key_exchange_round_trips()
    {
        var received = RoundTrip(new KeyExchangePayload(DiffieHellmanGroup.Modp2048, WireTestData.Bytes(256, 9)));

        Assert.Equal(DiffieHellmanGroup.Modp2048, received.Group);
        Assert.Equal(WireTestData.Bytes(256, 9), received.Data);

        // Generic header (len 264) | group 14 | RESERVED.
        Assert.StartsWith("00000108" + "000e0000", PayloadHex(received), StringComparison.Ordinal);
    }

    [Fact]
    public void Identification_round_trips_and_exposes_the_signed_body()
    {
        var sent = new IdentificationPayload(true, IdType.Fqdn, "vpn.example.com"u8.ToArray());

        var received = RoundTrip(sent);

        Assert.True(received.IsInitiator);
        Assert.Equal(PayloadType.IdInitiator, received.Type);
        Assert.Equal(IdType.Fqdn, received.IdType);
        Assert.Equal("vpn.example.com"u8.ToArray(), received.Data);
        byte[] expectedBody = [(byte)IdType.Fqdn, 0, 0, 0, .. "vpn.example.com"u8];
        Assert.Equal(expectedBody, received.GetAuthenticatedBody());
        Assert.EndsWith(Convert.ToHexStringLower(expectedBody), PayloadHex(sent), StringComparison.Ordinal);
    }

    [Fact]
    public void Responder_identification_round_trips()
    {
        var received = RoundTrip(new IdentificationPayload(false, IdType.Ipv6Address, IPAddress.Parse("2001:db8::1").GetAddressBytes()));

        Assert.False(received.IsInitiator);
        Assert.Equal(PayloadType.IdResponder, received.Type);
        Assert.Equal("IDr(Ipv6Address: 2001:db8::1)", received.ToString());
    }

    [Fact]
    public void Certificate_and_certificate_request_round_trip()
    {
        var cert = RoundTrip(new CertificatePayload(4, WireTestData.Bytes(700, 1)));
        var request = RoundTrip(new CertificateRequestPayload(4, WireTestData.Bytes(40, 2)));

        Assert.Equal(4, cert.Encoding);
        Assert.Equal(WireTestData.Bytes(700, 1), cert.Data);
        Assert.Equal(4, request.Encoding);
        Assert.Equal(WireTestData.Bytes(40, 2), request.Data);
    }

    [Fact]
    public void Authentication_round_trips()
    {
        var received = RoundTrip(new AuthenticationPayload(AuthMethod.DigitalSignature, WireTestData.Bytes(80, 3)));

        Assert.Equal(AuthMethod.DigitalSignature, received.Method);
        Assert.Equal(WireTestData.Bytes(80, 3), received.Data);
    }

    [Fact]
    public void Nonce_round_trips()
    {
        var received = RoundTrip(new NoncePayload(WireTestData.Bytes(32, 4)));

        Assert.Equal(WireTestData.Bytes(32, 4), received.Data);
    }

    [Fact]
    public void Notify_round_trips_with_and_without_spi()
    {
        var rekey = RoundTrip(new NotifyPayload(ProtocolId.Esp, [9, 8, 7, 6], NotifyType.RekeySa, []));
        var cookie = RoundTrip(new NotifyPayload(ProtocolId.None, [], NotifyType.Cookie, WireTestData.Bytes(24, 5)));
        var error = RoundTrip(new NotifyPayload(ProtocolId.None, [], NotifyType.NoProposalChosen, []));

        Assert.Equal(ProtocolId.Esp, rekey.Protocol);
        Assert.Equal([9, 8, 7, 6], rekey.Spi);
        Assert.Equal(NotifyType.RekeySa, rekey.NotifyType);
        Assert.Empty(rekey.Data);
        Assert.Equal(WireTestData.Bytes(24, 5), cookie.Data);
        Assert.Equal(NotifyType.Cookie, cookie.NotifyType);
        Assert.True(error.IsError);
        Assert.False(cookie.IsError);
    }

    [Fact]
    public void Notify_octets_follow_the_notify_layout()
    {
        // Generic header (len 12) | protocol ESP | SPI size 4 | type 16393 REKEY_SA | SPI.
        Assert.Equal("0000000c" + "0304" + "4009" + "01020304", PayloadHex(new NotifyPayload(ProtocolId.Esp, [1, 2, 3, 4], NotifyType.RekeySa, [])));
    }

    [Fact]
    public void Delete_round_trips_for_child_and_ike_sas()
    {
        var child = RoundTrip(new DeletePayload(ProtocolId.Esp, [[1, 2, 3, 4], [5, 6, 7, 8]]));
        var ike = RoundTrip(new DeletePayload(ProtocolId.Ike, []));

        Assert.Equal(ProtocolId.Esp, child.Protocol);
        Assert.Equal([[1, 2, 3, 4], [5, 6, 7, 8]], child.Spis);
        Assert.Equal(ProtocolId.Ike, ike.Protocol);
        Assert.Empty(ike.Spis);
        Assert.Equal("00000008" + "01000000", PayloadHex(ike));
        Assert.Equal("00000010" + "03040002" + "0102030405060708", PayloadHex(child));
    }

    [Fact]
    public void Vendor_id_round_trips()
    {
        var received = RoundTrip(new VendorIdPayload(WireTestData.Bytes(16, 6)));

        Assert.Equal(WireTestData.Bytes(16, 6), received.Data);
    }

    [Fact]
    public void Traffic_selectors_round_trip_for_both_families()
    {
        var sent = new TrafficSelectorPayload(false,
        [
            WireTestData.Ipv4Range("10.1.0.0", "10.1.0.255"),
            new TrafficSelector(TrafficSelectorType.Ipv6AddressRange, 6, 22, 22, IPAddress.Parse("fd00::"), IPAddress.Parse("fd00::ffff:ffff")),
        ]);

        var received = RoundTrip(sent);

        Assert.False(received.IsInitiator);
        Assert.Equal(PayloadType.TrafficSelectorResponder, received.Type);
        Assert.Equal(sent.Selectors, received.Selectors);
    }

    [Fact]
    public void Traffic_selector_octets_follow_the_selector_layout()
    {
        var ts = new TrafficSelectorPayload(true, [WireTestData.Ipv4Range("10.1.0.0", "10.1.0.255")]);

        // Generic header (len 24) | 1 selector + reserved | type 7, proto 0, len 16, ports 0-65535, addresses.
        Assert.Equal("00000018" + "01000000" + "07000010" + "0000ffff" + "0a010000" + "0a0100ff", PayloadHex(ts));
    }

    [Theory]
    [InlineData(0, 0, ushort.MaxValue, "0:10.1.0.0-10.1.0.255:0")]
    [InlineData(6, 443, 443, "6:10.1.0.0-10.1.0.255:443")]
    [InlineData(17, 500, 4500, "17:10.1.0.0-10.1.0.255:500-4500")]
    [InlineData(0, ushort.MaxValue, 0, "0:10.1.0.0-10.1.0.255:opaque")]
    public void Traffic_selector_prints_compactly(byte protocol, ushort startPort, ushort endPort, string expected)
    {
        Assert.Equal(expected, WireTestData.Ipv4Range("10.1.0.0", "10.1.0.255", protocol, startPort, endPort).ToString());
    }

    [Fact]
    public void Configuration_round_trips_including_empty_request_attributes()
    {
        var received = RoundTrip(new ConfigurationPayload(ConfigurationType.Request, [new ConfigurationAttribute(1, []), new ConfigurationAttribute(3, []), new ConfigurationAttribute(7, [1, 2])]));

        Assert.Equal(ConfigurationType.Request, received.ConfigType);
        Assert.Equal([1, 3, 7], received.Attributes.Select(a => (int)a.AttributeType));
        Assert.Empty(received.Attributes[0].Value);
        Assert.Equal([1, 2], received.Attributes[2].Value);
    }

    [Fact]
    public void Eap_round_trips()
    {
        byte[] identityRequest = [1, 42, 0, 5, 1];

        var received = RoundTrip(new EapPayload(identityRequest));

        Assert.Equal(identityRequest, received.Data);
    }

    [Fact]
    public void Non_critical_unknown_payload_is_kept_and_the_chain_continues()
    {
        var header = WireTestData.RequestHeader(ExchangeType.Informational);
        byte[] encoded = IkeMessageCodec.Encode(header, [new UnknownPayload((PayloadType)130, [1, 2, 3]), new NoncePayload(WireTestData.Bytes(16, 1))]);

        var result = IkeMessageCodec.Decode(encoded, protector: null);

        Assert.True(result.Success, result.Detail);
        var unknown = Assert.IsType<UnknownPayload>(result.Message!.Payloads[0]);
        Assert.Equal((PayloadType)130, unknown.RawType);
        Assert.Equal([1, 2, 3], unknown.Body);
        Assert.False(unknown.Critical);
        Assert.IsType<NoncePayload>(result.Message.Payloads[1]);
    }

    [Fact]
    public void A_message_with_every_payload_type_round_trips_in_order()
    {
        var sent = WireTestData.EveryPayloadType();
        var header = WireTestData.RequestHeader(ExchangeType.IkeAuth, 1);
        byte[] encoded = IkeMessageCodec.Encode(header, sent);

        var result = IkeMessageCodec.Decode(encoded, protector: null);

        Assert.True(result.Success, result.Detail);
        var message = result.Message!;
        Assert.Equal(header with { NextPayload = PayloadType.SecurityAssociation, Length = (uint)encoded.Length }, message.Header);
        Assert.Equal(sent.Select(p => p.Type), message.Payloads.Select(p => p.Type));
        Assert.Equal(sent.Select(p => p.ToString()), message.Payloads.Select(p => p.ToString()));
        Assert.Equal(encoded, IkeMessageCodec.Encode(message.Header, message.Payloads));
        Assert.Equal("initiator.example"u8.ToArray(), message.IdInitiator!.Data);
        Assert.Equal([192, 0, 2, 1], message.IdResponder!.Data);
        Assert.Single(message.TsInitiator!.Selectors);
        Assert.Equal(2, message.TsResponder!.Selectors.Count);
    }

    [Fact]
    public void Encode_fills_the_chain_and_length_ignoring_the_header_values_passed_in()
    {
        var header = new IkeHeader(1, 2, PayloadType.Eap, ExchangeType.Informational, IkeFlags.Response, 5, 9999);

        byte[] encoded = IkeMessageCodec.Encode(header, [new NoncePayload(WireTestData.Bytes(16, 0)), new VendorIdPayload([1])]);

        Assert.Equal((byte)PayloadType.Nonce, encoded[16]);
        Assert.Equal(IkeHeader.Size + 20 + 5, encoded.Length);
        Assert.Equal("00000035", Convert.ToHexStringLower(encoded.AsSpan(24, 4)));
        Assert.Equal((byte)PayloadType.VendorId, encoded[IkeHeader.Size]);
        Assert.Equal((byte)PayloadType.None, encoded[IkeHeader.Size + 20]);
    }

    [Fact]
    public void Empty_informational_encodes_to_a_bare_header()
    {
        byte[] encoded = IkeMessageCodec.Encode(WireTestData.RequestHeader(ExchangeType.Informational, 9), []);

        var result = IkeMessageCodec.Decode(encoded, protector: null);

        Assert.Equal(IkeHeader.Size, encoded.Length);
        Assert.True(result.Success, result.Detail);
        Assert.Empty(result.Message!.Payloads);
        Assert.Equal(PayloadType.None, result.Message.Header.NextPayload);
    }

    [Fact]
    public void ToString_never_shows_key_material()
    {
        byte[] secret = WireTestData.Bytes(32, 0x5A);
        string secretHex = Convert.ToHexStringLower(secret);
        IkePayload[] payloads =
        [
            new NoncePayload(secret),
            new KeyExchangePayload(DiffieHellmanGroup.Ecp256, secret),
            new AuthenticationPayload(AuthMethod.SharedKeyMessageIntegrityCode, secret),
            new NotifyPayload(ProtocolId.None, [], NotifyType.Cookie, secret),
            new EapPayload(secret),
            new CertificatePayload(4, secret),
            new ConfigurationPayload(ConfigurationType.Reply, [new ConfigurationAttribute(1, secret)]),
            new UnknownPayload((PayloadType)99, secret),
        ];

        foreach (var payload in payloads)
        {
            string text = payload.ToString();
            Assert.DoesNotContain(secretHex[..8], text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("System.Byte", text, StringComparison.Ordinal);
            Assert.Contains("32 bytes", text, StringComparison.Ordinal);
        }

        Assert.Equal("Nonce(32 bytes)", payloads[0].ToString());
        Assert.Equal("KE(Ecp256, 32 bytes)", payloads[1].ToString());
    }
}
