using SharpSwan.Esp;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Fuzz;

/// <summary>
/// IKEv2 before decryption: a datagram as it arrives on UDP 500, or on 4500 behind the non-ESP marker, through the
/// header checks and every plain payload decoder (SA/proposal/transform, KE, ID, CERT, CERTREQ, AUTH, Nonce, Notify,
/// Delete, TS, CP, EAP, vendor ID). Decoded messages are also printed, as the IKE debug view does.
/// </summary>
internal sealed class IkeTarget : IFuzzTarget
{
    public string Name => "ike";

    public void Run(ReadOnlySpan<byte> input)
    {
        Inspect(IkeMessageCodec.Decode(input, protector: null));
        if (UdpEncapsulation.Classify(input) == UdpPayloadKind.Ike)
        {
            Inspect(IkeMessageCodec.Decode(UdpEncapsulation.GetIkeMessage(input), protector: null));
        }
    }

    public IEnumerable<(string Name, byte[] Data)> Seeds() => IkeSeeds.PlainMessages();

    internal static void Inspect(IkeParseResult result)
    {
        _ = result.Detail;
        if (result.Message is not { } message)
        {
            return;
        }

        _ = message.ToString();
        foreach (var payload in message.Payloads)
        {
            _ = payload.ToString();
        }
    }
}
