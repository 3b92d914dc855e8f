using System.Buffers.Binary;
using System.Net;
using SharpSwan.Ike.Wire;
using SharpSwan.Testing;

namespace SharpSwan.Ike.Tests.Support;

/// <summary>
/// A dial-up hub (any source address is a possible peer, so a flood reaches the IKE_SA_INIT responder), a client that
/// dials in, and a real IKE_SA_INIT captured from an engine, replayed with a new SPI from spoofed source addresses (issue 11,
/// item 3). Answers to spoofed sources land in <see cref="EngineNetwork.Unrouted"/>.
/// </summary>
public sealed class FloodRig : IDisposable
{
    public const string HubAddress = "198.51.100.2";
    public const string ClientAddress = "192.0.2.1";
    public const string Client = "to-hub";
    public const string ClientPhase2 = "to-hub-p2";
    private const string Psk = "flood-rig-psk-value";

    private ulong _nextSpi = 0x1000;

    /// <param name="global">`set` lines for `config system global` (the flood limits).</param>
    public FloodRig(string global)
    {
        var globalBlock = $"config system global\n    {global}\nend\n";
        Hub = Network.Add("hub", HubAddress, globalBlock + EngineNetwork.SiteToSite("dial", "dial-p2", HubAddress, "0.0.0.0", "10.1.0.0", "10.2.0.0", Psk, "set type dynamic"));
        ClientNode = Network.Add("client", ClientAddress, EngineNetwork.SiteToSite(Client, ClientPhase2, ClientAddress, HubAddress, "10.2.0.0", "10.1.0.0", Psk));
        Template = CaptureInit();
    }

    public EngineNetwork Network { get; } = new();

    public EngineNetwork.Node Hub { get; }

    public EngineNetwork.Node ClientNode { get; }

    /// <summary>A real IKE_SA_INIT request (SA, KE, Nonce, NAT detection), without a COOKIE.</summary>
    public byte[] Template { get; }

    public static IPAddress Spoofed(int i) => new([10, 99, (byte)(i / 250), (byte)(1 + (i % 250))]);

    /// <summary>The template with a fresh initiator SPI (each one a new IKE SA to the responder).</summary>
    public byte[] NewRequest()
    {
        var bytes = Template.ToArray();
        BinaryPrimitives.WriteUInt64BigEndian(bytes, _nextSpi++);
        return bytes;
    }

    /// <summary>Delivers one request to the hub's IKE port from <paramref name="source"/>.</summary>
    public void Send(byte[] request, IPAddress source, int port = 500) =>
        Hub.Engine.ReceiveDatagram(new IPEndPoint(IPAddress.Parse(HubAddress), 500), new IPEndPoint(source, port), request);

    /// <summary>Sends <paramref name="count"/> new requests, request i from <paramref name="source"/>(i).</summary>
    public void Flood(int count, Func<int, IPAddress> source)
    {
        for (var i = 0; i < count; i++)
        {
            Send(NewRequest(), source(i));
        }
    }

    /// <summary>The hub's answers to <paramref name="source"/> that went nowhere, decoded.</summary>
    public List<IkeMessage> AnswersTo(IPAddress source) =>
        [.. Network.Unrouted.Where(u => u.To.Address.Equals(source)).Select(u => IkeMessageCodec.Decode(u.Bytes, null).Message!)];

    public void Dispose() => Network.Dispose();

    private static byte[] CaptureInit()
    {
        using var side = new EngineNetwork();
        var lone = side.Add("lone", "203.0.113.9", EngineNetwork.SiteToSite("t", "t-p2", "203.0.113.9", "203.0.113.200", "10.3.0.0", "10.4.0.0"));
        Assert.True(lone.Engine.Initiate("t", null));
        return side.Unrouted[0].Bytes;
    }
}
