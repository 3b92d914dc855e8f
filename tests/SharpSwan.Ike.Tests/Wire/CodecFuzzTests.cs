using System.Buffers.Binary;
using SharpSwan.Crypto;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Tests.Wire;

/// <summary>
/// Seeded robustness test: random and mutated datagrams must never make the decoder throw, and whatever it
/// accepts must re-encode to a stable byte string.
/// </summary>
public sealed class CodecFuzzTests
{
    private const int Iterations = 20_000;

    [Fact]
    public void Random_and_mutated_datagrams_never_throw_and_accepted_ones_re_encode_stably()
    {
        var random = new Random(7296);
        using var gcmSender = TestProtectors.AesGcm();
        using var gcm = TestProtectors.AesGcm();
        using var cbcSender = TestProtectors.AesCbcHmac();
        using var cbc = TestProtectors.AesCbcHmac();

        byte[][] plainSeeds =
        [
            WireTestData.Hex(WireTestData.ParserFixtureIkeSaInitHex),
            WireTestData.Hex(WireTestData.AndroidIkeSaInitHex),
            IkeMessageCodec.Encode(WireTestData.RequestHeader(ExchangeType.IkeAuth, 1), WireTestData.EveryPayloadType()),
        ];
        byte[] gcmSeed = IkeMessageCodec.EncodeProtected(WireTestData.RequestHeader(ExchangeType.IkeAuth, 1), WireTestData.EveryPayloadType(), gcmSender);
        byte[] cbcSeed = IkeMessageCodec.EncodeProtected(WireTestData.RequestHeader(ExchangeType.Informational, 2), WireTestData.EveryPayloadType(), cbcSender);

        var outcomes = new Dictionary<IkeParseError, int>();
        for (int i = 0; i < Iterations; i++)
        {
            (byte[] Input, PacketProtector? Protector) mutation = (i % 8) switch
            {
                0 => (RandomBytes(random), null),
                1 => (RandomBodyBehindValidHeader(random), null),
                2 => (FlipBits(random, Pick(random, plainSeeds)), null),
                3 => (Truncate(random, Pick(random, plainSeeds)), null),
                4 => (CorruptLengthField(random, Pick(random, plainSeeds)), null),
                5 => (FlipBits(random, gcmSeed), gcm),
                6 => (CorruptLengthField(random, cbcSeed), cbc),
                _ => (SealMutatedPlaintext(random, plainSeeds[2], cbcSender), cbc),
            };

            var result = IkeMessageCodec.Decode(mutation.Input, mutation.Protector);

            outcomes[result.Error] = outcomes.GetValueOrDefault(result.Error) + 1;
            if (result.Success)
            {
                AssertReEncodesStably(result.Message!);
            }
            else
            {
                Assert.Null(result.Message);
                Assert.False(string.IsNullOrEmpty(result.Detail));
            }
        }

        // The mutations must actually reach both the accepting paths and the various rejection paths.
        Assert.True(outcomes.GetValueOrDefault(IkeParseError.None) > 100, Describe(outcomes));
        foreach (var error in new[]
        {
            IkeParseError.Truncated, IkeParseError.InvalidLength, IkeParseError.MalformedPayload,
            IkeParseError.UnsupportedCriticalPayload, IkeParseError.IntegrityCheckFailed, IkeParseError.UnsupportedMajorVersion,
        })
        {
            Assert.True(outcomes.GetValueOrDefault(error) > 0, $"{error} never produced: {Describe(outcomes)}");
        }
    }

    private static void AssertReEncodesStably(IkeMessage message)
    {
        byte[] first = IkeMessageCodec.Encode(message.Header, message.Payloads);
        var again = IkeMessageCodec.Decode(first, protector: null);
        Assert.True(again.Success, again.Detail);
        Assert.Equal(first, IkeMessageCodec.Encode(again.Message!.Header, again.Message.Payloads));
    }

    private static string Describe(Dictionary<IkeParseError, int> outcomes) =>
        string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}={o.Value}"));

    private static byte[] Pick(Random random, byte[][] seeds) => seeds[random.Next(seeds.Length)];

    private static byte[] RandomBytes(Random random)
    {
        var data = new byte[random.Next(0, 600)];
        random.NextBytes(data);
        return data;
    }

    /// <summary>Random payload octets behind a header that passes the header checks, so the payload parser sees them.</summary>
    private static byte[] RandomBodyBehindValidHeader(Random random)
    {
        var data = new byte[IkeHeader.Size + random.Next(0, 400)];
        random.NextBytes(data);
        var first = (PayloadType)random.Next(32, 50);
        (WireTestData.RequestHeader(ExchangeType.Informational) with { NextPayload = first, Length = (uint)data.Length }).Write(data);
        return data;
    }

    private static byte[] FlipBits(Random random, byte[] seed)
    {
        byte[] data = (byte[])seed.Clone();
        int flips = random.Next(1, 9);
        for (int i = 0; i < flips; i++)
        {
            int bit = random.Next(data.Length * 8);
            data[bit / 8] ^= (byte)(1 << (bit % 8));
        }

        return data;
    }

    private static byte[] Truncate(Random random, byte[] seed) => seed[..random.Next(seed.Length)];

    /// <summary>Overwrites the header length or a payload/substructure length field with a nearby or arbitrary value.</summary>
    private static byte[] CorruptLengthField(Random random, byte[] seed)
    {
        byte[] data = (byte[])seed.Clone();
        var lengthOffsets = new List<int> { 24 + 2 };
        int offset = IkeHeader.Size;
        while (offset + 4 <= data.Length)
        {
            lengthOffsets.Add(offset + 2);
            int length = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(offset + 2));
            if (length < 4)
            {
                break;
            }

            // Substructure lengths (proposals, transforms, selectors) sit at +2 of their headers too.
            lengthOffsets.Add(offset + 6);
            lengthOffsets.Add(offset + 10);
            offset += length;
        }

        int target = lengthOffsets[random.Next(lengthOffsets.Count)];
        if (target + 2 > data.Length)
        {
            return data;
        }

        ushort current = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(target));
        ushort replacement = random.Next(3) switch
        {
            0 => (ushort)(current + random.Next(-8, 9)),
            1 => (ushort)random.Next(0, 8),
            _ => (ushort)random.Next(0, 65536),
        };
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(target), replacement);
        return data;
    }

    /// <summary>Mutates an inner payload chain and seals it properly, so the decrypted-chain parser gets garbage that passes integrity.</summary>
    private static byte[] SealMutatedPlaintext(Random random, byte[] plainMessage, PacketProtector protector)
    {
        byte[] chain = FlipBits(random, plainMessage[IkeHeader.Size..]);
        if (random.Next(2) == 0)
        {
            chain = chain[..random.Next(chain.Length)];
        }

        int padding = (protector.BlockSize - ((chain.Length + 1) % protector.BlockSize)) % protector.BlockSize;
        int payloadLength = chain.Length + padding + 1;
        int skLength = 4 + protector.IvSize + payloadLength + protector.IcvSize;
        var message = new byte[IkeHeader.Size + skLength];
        (WireTestData.RequestHeader(ExchangeType.Informational, 3) with { NextPayload = PayloadType.Encrypted, Length = (uint)message.Length }).Write(message);
        message[IkeHeader.Size] = plainMessage[16];
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(IkeHeader.Size + 2), (ushort)skLength);
        chain.CopyTo(message, IkeHeader.Size + 4 + protector.IvSize);
        message[IkeHeader.Size + 4 + protector.IvSize + payloadLength - 1] = (byte)(random.Next(8) == 0 ? random.Next(256) : padding);
        protector.Seal(message, IkeHeader.Size + 4, payloadLength);
        return message;
    }
}
