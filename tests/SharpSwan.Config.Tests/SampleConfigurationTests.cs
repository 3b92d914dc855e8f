using System.Net;
using SharpSwan.Crypto;

namespace SharpSwan.Config.Tests;

public sealed class SampleConfigurationTests
{
    private readonly GatewayConfiguration _config = ConfigText.ParseValid(ConfigText.ReadmeSample);

    [Fact]
    public void Phase1_HasTheValuesFromTheFile()
    {
        var p1 = Assert.Single(_config.Phase1);
        Assert.Equal("to-branch", p1.Name);
        Assert.True(p1.IsInterfaceMode);
        Assert.Equal(Phase1Type.Static, p1.Type);
        Assert.Equal("eth0", p1.Interface);
        Assert.Equal(2, p1.IkeVersion);
        Assert.Equal(IPAddress.Parse("198.51.100.2"), p1.RemoteGateway);
        Assert.Equal(IPAddress.Parse("0.0.0.0"), p1.LocalGateway);
        Assert.Equal(
            [DiffieHellmanGroup.Ecp384, DiffieHellmanGroup.Ecp256, DiffieHellmanGroup.Modp2048],
            p1.DhGroups.ToArray());
        Assert.Equal("hq.example", p1.LocalId);
        Assert.Equal(NatTraversal.Enable, p1.NatTraversal);
        Assert.Equal(86400, p1.KeyLifeSeconds);
        Assert.Equal(DpdMode.OnDemand, p1.Dpd);
        Assert.Equal(AuthMethod.Psk, p1.Authmethod);
        Assert.Equal(2, p1.SourceLine);
        Assert.Empty(p1.OtherSettings);
    }

    [Fact]
    public void Phase1_ProposalsMapToIkeTransforms()
    {
        var proposals = Assert.Single(_config.Phase1).Proposals;
        Assert.Equal(2, proposals.Length);

        Assert.Equal(new IkeProposal(EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None, PseudoRandomFunction.HmacSha384, "aes256gcm-prfsha384"), proposals[0]);
        Assert.Equal(new IkeProposal(EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha256_128, PseudoRandomFunction.HmacSha256, "aes128-sha256"), proposals[1]);
    }

    [Fact]
    public void Phase1_PresharedKeyIsTheUtf8BytesOfThePlaintext()
    {
        var key = Assert.Single(_config.Phase1).PresharedKey;
        Assert.NotNull(key);
        Assert.Equal("s3cret-psk"u8.ToArray(), key.GetBytes());
        Assert.Equal(Secret.FromPlaintext("s3cret-psk"), key);
    }

    [Fact]
    public void Phase2_HasTheValuesFromTheFile()
    {
        var p2 = Assert.Single(_config.Phase2);
        Assert.Equal("to-branch-p2", p2.Name);
        Assert.True(p2.IsInterfaceMode);
        Assert.Equal("to-branch", p2.Phase1Name);
        Assert.Equal(["aes256gcm", "aes128-sha256"], p2.Proposals.Select(p => p.Name));
        Assert.Equal(new EspProposal(EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None, "aes256gcm"), p2.Proposals[0]);
        Assert.Equal(new EspProposal(EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha256_128, "aes128-sha256"), p2.Proposals[1]);
        Assert.True(p2.Pfs);
        Assert.Equal([DiffieHellmanGroup.Ecp384], p2.DhGroups.ToArray());
        Assert.Equal("10.1.0.0-10.1.0.255", p2.Source.ToString());
        Assert.Equal("10.2.0.0-10.2.0.255", p2.Destination.ToString());
        Assert.Equal(24, p2.Source.PrefixLength);
        Assert.Equal(43200, p2.KeyLifeSeconds);
        Assert.False(p2.AutoNegotiate);
        Assert.False(p2.Keepalive);
        Assert.Equal(16, p2.SourceLine);
    }

    [Fact]
    public void StaticRoute_HasTheValuesFromTheFile()
    {
        var route = Assert.Single(_config.StaticRoutes);
        Assert.Equal(1, route.Id);
        Assert.Equal(IPAddress.Parse("10.2.0.0"), route.Destination);
        Assert.Equal(24, route.PrefixLength);
        Assert.Equal("to-branch", route.Device);
        Assert.Equal(IPAddress.Parse("0.0.0.0"), route.Gateway);
        Assert.Equal(10, route.Distance);
        Assert.True(route.Enabled);
        Assert.Equal(29, route.SourceLine);
    }

    [Fact]
    public void Lookups_FindPhase1AndItsPhase2()
    {
        Assert.Same(_config.Phase1[0], _config.FindPhase1("to-branch"));
        Assert.Null(_config.FindPhase1("TO-BRANCH"));
        Assert.Equal(["to-branch-p2"], _config.Phase2For("to-branch").Select(p => p.Name));
        Assert.Empty(_config.Phase2For("other"));
    }

    [Fact]
    public void Global_IsDefaultWhenTheFileHasNoSystemGlobal()
    {
        Assert.Equal(GlobalSettings.Default, _config.Global);
        Assert.Equal("SharpSwan", _config.Global.Hostname);
    }

    [Fact]
    public void LoadFile_ReadsFromDiskAndNamesTheFileInErrors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sharpswan-config-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, ConfigText.ReadmeSample);
        try
        {
            var result = ConfigurationLoader.LoadFile(path);
            Assert.True(result.IsValid);
            Assert.Equal(_config, result.Configuration);

            File.WriteAllText(path, "config vpn ipsec phase9\nend\n");
            var bad = ConfigurationLoader.LoadFile(path);
            Assert.StartsWith(path + ":1: command parse error before 'phase9'", Assert.Single(bad.Errors).ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadFile_MissingFileIsAnErrorNotAnException()
    {
        var result = ConfigurationLoader.LoadFile("/nonexistent/sharpswan/hq.conf");
        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal("/nonexistent/sharpswan/hq.conf", error.File);
        Assert.Equal(0, error.Line);
    }
}
