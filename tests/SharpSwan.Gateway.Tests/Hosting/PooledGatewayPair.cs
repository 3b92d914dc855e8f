using System.Net;
using SharpSwan.Crypto.Certificates;
using SharpSwan.Ike.Engine;
using SharpSwan.Testing;

namespace SharpSwan.Gateway.Tests.Hosting;

/// <summary>
/// Two <see cref="PooledGateway"/>s with one IKEv1 site-to-site tunnel between them, authenticated with certificates
/// (RFC 2409 §5.1): A's leaf and B's, both of one key type (IKEv1 negotiates one signature method), and a lab CA that both
/// trust, unless B's leaf comes from a CA that A does not know. The gateways talk over real UDP sockets on two random
/// loopback addresses and a random port, so parallel tests do not meet.
/// </summary>
public sealed class PooledGatewayPair : IDisposable
{
    public const string PhaseA = "to-b";
    public const string Phase2A = "to-b-p2";
    public const string PhaseB = "to-a";
    public const string Phase2B = "to-a-p2";

    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly IssuedCertificate LabCa = CertificateTables.Authority("CN=Pool Lab CA", Now);
    private static readonly IssuedCertificate ElsewhereCa = CertificateTables.Authority("CN=Elsewhere CA", Now);

    /// <param name="mode">main or aggressive.</param>
    /// <param name="algorithm">Both leaves' key type.</param>
    /// <param name="pooled">Both gateways run their public-key work on a <see cref="Gateway.Hosting.ComputationPool"/>; false: inline.</param>
    /// <param name="untrustedB">B's leaf is issued by a CA that A does not trust.</param>
    public PooledGatewayPair(string mode, CertificateKeyAlgorithm algorithm, bool pooled, bool untrustedB = false)
    {
        var net = $"127.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}";
        var (addressA, addressB) = (IPAddress.Parse(net + ".1"), IPAddress.Parse(net + ".2"));
        var port = Random.Shared.Next(20000, 60000);
        var leafA = CertificateTables.Leaf(LabCa, "CN=a.pool", "dns:a.pool", algorithm, Now);
        var leafB = CertificateTables.Leaf(untrustedB ? ElsewhereCa : LabCa, "CN=b.pool", "dns:b.pool", algorithm, Now);
        A = new PooledGateway(addressA, Tables(leafA) + Tunnel(PhaseA, Phase2A, mode, addressA, addressB, "10.1.0.0", "10.2.0.0"), port, pooled);
        B = new PooledGateway(addressB, Tables(leafB) + Tunnel(PhaseB, Phase2B, mode, addressB, addressA, "10.2.0.0", "10.1.0.0"), port, pooled);
    }

    public PooledGateway A { get; }

    public PooledGateway B { get; }

    /// <summary>Whether the gateway holds an established ISAKMP SA of the tunnel with an installed child of the phase 2.</summary>
    public static Task<bool> ChildUpAsync(PooledGateway gateway, string phase1, string phase2) =>
        gateway.Loop.InvokeAsync(engine => engine.FindTunnel(phase1)?.Current is { State: IkeSaState.Established } sa &&
            sa.Children.Any(c => c.Phase2Name == phase2 && c.State == ChildSaState.Installed));

    /// <summary>Polls a condition; the generous limit only turns a hang into a failure, nothing is timed.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"gave up waiting for {what}");
            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
    }

    private static string Tables(IssuedCertificate own) => new CertificateTables().Ca("lab-ca", LabCa).Local("me", own).Render();

    private static string Tunnel(string phase1, string phase2, string mode, IPAddress local, IPAddress remote, string localNet, string remoteNet) => $$"""
        config vpn ipsec phase1-interface
            edit "{{phase1}}"
                set interface "lo"
                set ike-version 1
                set mode {{mode}}
                set local-gw {{local}}
                set remote-gw {{remote}}
                set proposal aes128-sha256
                set dhgrp 14
                set dpd disable
                set auto-negotiate disable
                set authmethod signature
                set certificate "me"
            next
        end
        config vpn ipsec phase2-interface
            edit "{{phase2}}"
                set phase1name "{{phase1}}"
                set proposal aes256gcm
                set dhgrp 20
                set src-subnet {{localNet}} 255.255.255.0
                set dst-subnet {{remoteNet}} 255.255.255.0
            next
        end
        """;
}
