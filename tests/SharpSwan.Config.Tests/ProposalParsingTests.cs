using SharpSwan.Crypto;

namespace SharpSwan.Config.Tests;

public sealed class ProposalParsingTests
{
    [Theory]
    [InlineData("aes128-sha1", EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha1_96, PseudoRandomFunction.HmacSha1)]
    [InlineData("aes128-sha256", EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha256_128, PseudoRandomFunction.HmacSha256)]
    [InlineData("aes256-sha1", EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha1_96, PseudoRandomFunction.HmacSha1)]
    [InlineData("aes128-sha384", EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha384_192, PseudoRandomFunction.HmacSha384)]
    [InlineData("aes256-sha512", EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha512_256, PseudoRandomFunction.HmacSha512)]
    [InlineData("aes128gcm-prfsha1", EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, PseudoRandomFunction.HmacSha1)]
    [InlineData("aes256gcm-prfsha512", EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None, PseudoRandomFunction.HmacSha512)]
    [InlineData("chacha20poly1305-prfsha256", EncryptionAlgorithm.ChaCha20Poly1305, 256, IntegrityAlgorithm.None, PseudoRandomFunction.HmacSha256)]
    [InlineData("3des-sha1", EncryptionAlgorithm.TripleDes, 192, IntegrityAlgorithm.HmacSha1_96, PseudoRandomFunction.HmacSha1)]
    [InlineData("des-md5", EncryptionAlgorithm.Des, 64, IntegrityAlgorithm.HmacMd5_96, PseudoRandomFunction.HmacMd5)]
    [InlineData("aes128-md5", EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacMd5_96, PseudoRandomFunction.HmacMd5)]
    public void IkeProposal_MapsFortiOsNamesToTransforms(
        string name, EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity, PseudoRandomFunction prf)
    {
        Assert.True(IkeProposal.TryParse(name, out var proposal, out var error), error);
        Assert.Equal(new IkeProposal(encryption, keyBits, integrity, prf, name), proposal);
        Assert.Equal(integrity == IntegrityAlgorithm.None, proposal.IsAead);
        Assert.Equal(name, proposal.ToString());
    }

    [Theory]
    [InlineData("aes192-sha256", "unsupported")]
    [InlineData("aria128-sha256", "unsupported")]
    [InlineData("seed-sha1", "unsupported")]
    [InlineData("null-sha256", "cannot use null encryption")]
    [InlineData("aes128gcm-sha256", "prfsha")]
    [InlineData("aes128gcm", "not a phase 1 proposal")]
    [InlineData("blowfish-sha1", "unknown cipher")]
    [InlineData("", "not a phase 1 proposal")]
    public void IkeProposal_RejectsWithAReason(string name, string reasonFragment)
    {
        Assert.False(IkeProposal.TryParse(name, out var proposal, out var error));
        Assert.Null(proposal);
        Assert.Contains(reasonFragment, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aes128-sha1", EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha1_96)]
    [InlineData("aes256-sha256", EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha256_128)]
    [InlineData("aes256-sha384", EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha384_192)]
    [InlineData("aes128-sha512", EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha512_256)]
    [InlineData("aes128gcm", EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None)]
    [InlineData("aes256gcm", EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None)]
    [InlineData("chacha20poly1305", EncryptionAlgorithm.ChaCha20Poly1305, 256, IntegrityAlgorithm.None)]
    [InlineData("3des-sha1", EncryptionAlgorithm.TripleDes, 192, IntegrityAlgorithm.HmacSha1_96)]
    [InlineData("des-md5", EncryptionAlgorithm.Des, 64, IntegrityAlgorithm.HmacMd5_96)]
    [InlineData("null-sha256", EncryptionAlgorithm.Null, 0, IntegrityAlgorithm.HmacSha256_128)]
    [InlineData("aes256-md5", EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacMd5_96)]
    public void EspProposal_MapsFortiOsNamesToTransforms(string name, EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity)
    {
        Assert.True(EspProposal.TryParse(name, out var proposal, out var error), error);
        Assert.Equal(new EspProposal(encryption, keyBits, integrity, name), proposal);
    }

    [Theory]
    [InlineData("aes128-null")]
    [InlineData("3des-null")]
    [InlineData("null-null")]
    [InlineData("aria256-sha256")]
    [InlineData("seed-sha1")]
    [InlineData("aes192-sha1")]
    public void EspProposal_FortiOsValuesWeDoNotSupportSayUnsupported(string name)
    {
        Assert.False(EspProposal.TryParse(name, out _, out var error));
        Assert.Contains("unsupported", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aes128-sha999")]
    [InlineData("aes128gcm-prfsha256")]
    [InlineData("rot13")]
    public void EspProposal_RejectsUnknownNames(string name)
    {
        Assert.False(EspProposal.TryParse(name, out _, out var error));
        Assert.Contains("not a phase 2 proposal", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ProposalList_DropsDuplicatesAndKeepsOrder()
    {
        var config = ConfigText.ParseValid(ConfigText.Phase2With("set proposal aes256gcm aes128-sha1 aes256gcm"));
        Assert.Equal(["aes256gcm", "aes128-sha1"], config.Phase2[0].Proposals.Select(p => p.Name));
    }

    [Theory]
    [InlineData("3des-sha1", "3DES")]
    [InlineData("des-sha256", "DES")]
    [InlineData("aes128-md5", "MD5")]
    [InlineData("null-sha1", "NULL")]
    [InlineData("aes128-sha256", null)]
    [InlineData("aes256gcm", null)]
    public void LegacyProposals_SayWhyTheyAreWeak(string name, string? weakness)
    {
        Assert.True(EspProposal.TryParse(name, out var proposal, out var error), error);
        if (weakness is null)
        {
            Assert.Null(proposal.Weakness);
        }
        else
        {
            Assert.Contains(weakness, proposal.Weakness, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RepeatedProposalsAndDhGroups_AreReadOnce_SoNoTransformIsOfferedTwice()
    {
        var phase1 = Assert.Single(ConfigText.ParseValid(ConfigText.Phase1With("set proposal aes128-sha256 aes256-sha256 aes128-sha256\n        set dhgrp 14 20 14")).Phase1);
        Assert.Equal(["aes128-sha256", "aes256-sha256"], phase1.Proposals.Select(p => p.Name));
        Assert.Equal(new[] { DiffieHellmanGroup.Modp2048, DiffieHellmanGroup.Ecp384 }, phase1.DhGroups.ToArray());

        var phase2 = Assert.Single(ConfigText.ParseValid(ConfigText.Phase2With("set proposal aes256gcm aes256gcm\n        set dhgrp 19 19")).Phase2);
        Assert.Equal(["aes256gcm"], phase2.Proposals.Select(p => p.Name));
        Assert.Equal(new[] { DiffieHellmanGroup.Ecp256 }, phase2.DhGroups.ToArray());
    }
}
