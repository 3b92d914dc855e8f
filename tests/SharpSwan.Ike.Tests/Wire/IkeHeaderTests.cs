using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Tests.Wire;

public sealed class IkeHeaderTests
{
    [Fact]
    public void Write_lays_out_the_rfc_7296_header_octets()
    {
        var header = new IkeHeader(0x0102030405060708, 0x1112131415161718, PayloadType.Encrypted, ExchangeType.IkeAuth, IkeFlags.Initiator | IkeFlags.Response, 0x01020304, 0x000001F4);
        var bytes = new byte[IkeHeader.Size];

        header.Write(bytes);

        Assert.Equal("0102030405060708" + "1112131415161718" + "2e" + "20" + "23" + "28" + "01020304" + "000001f4", Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void TryRead_round_trips_every_field()
    {
        var header = new IkeHeader(ulong.MaxValue, 42, PayloadType.SecurityAssociation, ExchangeType.CreateChildSa, IkeFlags.Response, uint.MaxValue, 1234);
        var bytes = new byte[IkeHeader.Size];
        header.Write(bytes);

        Assert.True(IkeHeader.TryRead(bytes, out var read));

        Assert.Equal(header, read);
        Assert.True(read.IsResponse);
        Assert.False(read.IsInitiatorFlag);
        Assert.Equal(IkeHeader.CurrentVersion, read.Version);
        Assert.Equal(2, read.MajorVersion);
    }

    [Fact]
    public void TryRead_fails_only_below_28_octets()
    {
        Assert.False(IkeHeader.TryRead(new byte[IkeHeader.Size - 1], out _));
        Assert.True(IkeHeader.TryRead(new byte[IkeHeader.Size], out var zeros));
        Assert.Equal(0, zeros.MajorVersion);
    }

    [Fact]
    public void TryRead_keeps_a_foreign_version_but_Write_always_sends_2_0()
    {
        var bytes = new byte[IkeHeader.Size];
        new IkeHeader(1, 0, PayloadType.None, ExchangeType.IkeSaInit, IkeFlags.Initiator, 0, IkeHeader.Size).Write(bytes);
        bytes[17] = 0x31;

        Assert.True(IkeHeader.TryRead(bytes, out var read));
        Assert.Equal(3, read.MajorVersion);
        Assert.Equal(1, read.MinorVersion);
        Assert.Equal(0x31, read.Version);

        var rewritten = new byte[IkeHeader.Size];
        read.Write(rewritten);
        Assert.Equal(0x20, rewritten[17]);
    }

    [Fact]
    public void Flags_helpers_follow_the_flag_bits()
    {
        var request = new IkeHeader(1, 2, PayloadType.None, ExchangeType.Informational, IkeFlags.Initiator, 7, 0);

        Assert.True(request.IsInitiatorFlag);
        Assert.False(request.IsResponse);
    }
}
