using SharpSwan.Gateway.Diagnostics;

namespace SharpSwan.Gateway.Tests.Diagnostics;

/// <summary>The sniffer's setup failures (no capture rights needed to reach them); real captures are in the interop tests.</summary>
public sealed class PacketSnifferTests
{
    [Fact]
    public async Task UnknownInterface_IsRefusedFortiOsStyle()
    {
        using var output = new StringWriter { NewLine = "\n" };
        await new PacketSniffer(TimeProvider.System).RunAsync(new SnifferOptions { Interface = "no-such-if0" }, output, CancellationToken.None);
        Assert.Equal("sniffer: interface no-such-if0 not found\nCommand fail. Return code -1\n", output.ToString());
    }

    [Fact]
    public async Task UnwritablePcapPath_IsRefusedBeforeCapturing()
    {
        using var output = new StringWriter { NewLine = "\n" };
        var path = Path.Combine(Path.GetTempPath(), "no-such-directory-" + Guid.NewGuid().ToString("N"), "x.pcapng");
        await new PacketSniffer(TimeProvider.System).RunAsync(new SnifferOptions { PcapPath = path }, output, CancellationToken.None);
        Assert.StartsWith($"cannot write {path}: ", output.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("\nCommand fail. Return code -1\n", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Using Original Sniffing Mode", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task ThePcapFile_IsTheOwnersOnly_NewOrOverwritten(bool existedWorldReadable)
    {
        // A capture on `any` holds the tunnel interfaces' decrypted traffic. The file is made before the interface is
        // looked up, so an unknown interface is enough to see how it was made.
        var path = Path.Combine(Path.GetTempPath(), "sharpswan-sniffer-" + Guid.NewGuid().ToString("N") + ".pcapng");
        try
        {
            if (existedWorldReadable)
            {
                await File.WriteAllTextAsync(path, "an older capture");
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            using var output = new StringWriter { NewLine = "\n" };
            await new PacketSniffer(TimeProvider.System).RunAsync(new SnifferOptions { Interface = "no-such-if0", PcapPath = path }, output, CancellationToken.None);

            Assert.True(File.Exists(path), output.ToString());
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
