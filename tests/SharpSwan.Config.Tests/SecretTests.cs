using System.Text;

namespace SharpSwan.Config.Tests;

public sealed class SecretTests
{
    [Fact]
    public void FromPlaintext_HoldsTheUtf8BytesAndNeverPrintsThem()
    {
        var secret = Secret.FromPlaintext("sEcReT-ü");
        Assert.Equal(Encoding.UTF8.GetBytes("sEcReT-ü"), secret.Bytes.ToArray());
        Assert.Equal("ENC ****", secret.ToString());
    }

    [Fact]
    public void ToConfigString_IsEncryptedAndParsesBack()
    {
        // Issue 16: the stored form was the base64 of the key (ENC czNjcmV0LXBzaw==); it is now AES-GCM encrypted.
        var secret = Secret.FromPlaintext("s3cret-psk");
        var stored = secret.ToConfigString();
        Assert.StartsWith("ENC sharpswan-aes256gcm$", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("czNjcmV0LXBzaw", stored, StringComparison.Ordinal);
        Assert.True(Secret.TryParse(["ENC", stored[4..]], out var parsed, out _));
        Assert.Equal(secret, parsed);

        // The old base64 form still reads (and is written back encrypted).
        Assert.True(Secret.TryParse(["ENC", "czNjcmV0LXBzaw=="], out var legacy, out _));
        Assert.Equal(secret, legacy);
    }

    [Fact]
    public void HexForm_IsRawBytes()
    {
        Assert.True(Secret.TryParse(["0x00ff10"], out var secret, out var error), error);
        Assert.Equal(new byte[] { 0x00, 0xff, 0x10 }, secret!.GetBytes());
    }

    [Theory]
    [InlineData("0x0ff", "even number of hex digits")]
    [InlineData("0xzz", "even number of hex digits")]
    [InlineData("abc", "6-128 characters")]
    public void BadValues_AreRejected(string value, string reason)
    {
        Assert.False(Secret.TryParse([value], out var secret, out var error));
        Assert.Null(secret);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void BadBase64_IsRejected()
    {
        Assert.False(Secret.TryParse(["ENC", "not*base64"], out _, out var error));
        Assert.Contains("base64", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Equality_ComparesBytes()
    {
        Assert.Equal(Secret.FromPlaintext("abcdef"), Secret.FromBytes("abcdef"u8));
        Assert.NotEqual(Secret.FromPlaintext("abcdef"), Secret.FromPlaintext("abcdeg"));
        Assert.NotEqual(Secret.FromPlaintext("abcdef"), Secret.FromPlaintext("abcdefg"));
    }

    [Fact]
    public void PsksecretForms_InTheFileAllGiveTheSameKey()
    {
        var plain = ConfigText.ParseValid(ConfigText.MinimalPhase1).Phase1[0].PresharedKey;
        var encoded = ConfigText.ParseValid(ConfigText.MinimalPhase1.Replace(
            "set psksecret \"minimal-psk\"", "set psksecret ENC " + Secret.FromPlaintext("minimal-psk").ToConfigString()[4..], StringComparison.Ordinal)).Phase1[0].PresharedKey;
        var hex = ConfigText.ParseValid(ConfigText.MinimalPhase1.Replace(
            "set psksecret \"minimal-psk\"", "set psksecret 0x" + Convert.ToHexString("minimal-psk"u8), StringComparison.Ordinal)).Phase1[0].PresharedKey;
        Assert.Equal(Secret.FromPlaintext("minimal-psk"), plain);
        Assert.Equal(plain, encoded);
        Assert.Equal(plain, hex);
    }

    [Fact]
    public void NoRecordToString_ContainsThePlaintext()
    {
        var result = ConfigurationLoader.Parse(ConfigText.ReadmeSample, "hq.conf");
        var config = result.Configuration!;
        var base64 = Convert.ToBase64String("s3cret-psk"u8);

        foreach (var text in new[] { config.ToString(), config.Phase1[0].ToString(), result.ToString() })
        {
            Assert.DoesNotContain("s3cret-psk", text, StringComparison.Ordinal);
            Assert.DoesNotContain(base64, text, StringComparison.Ordinal);
        }

        // The printout is real, not a type name: it shows the tunnel and the masked key.
        Assert.Contains("to-branch", config.ToString(), StringComparison.Ordinal);
        Assert.Contains("PresharedKey = ENC ****", config.ToString(), StringComparison.Ordinal);
        Assert.Contains("Proposals = [aes256gcm-prfsha384, aes128-sha256]", config.ToString(), StringComparison.Ordinal);
    }
}
