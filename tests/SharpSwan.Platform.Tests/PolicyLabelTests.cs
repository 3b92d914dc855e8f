namespace SharpSwan.Platform.Tests;

/// <summary>The admitting policy in a connection's labels: the bits a rule sets, read back as ctnetlink gives them.</summary>
public sealed class PolicyLabelTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(5L)]
    [InlineData(2147483647L)]
    public void The_bits_a_rule_sets_read_back_as_the_same_id(long policyId)
    {
        var labels = new byte[16];
        foreach (var bit in PolicyLabel.Bits(policyId))
        {
            labels[bit / 8] |= (byte)(1 << (bit % 8));
        }

        Assert.Equal(policyId, PolicyLabel.Read(labels));
    }

    [Fact]
    public void Policy_five_sets_the_decided_bit_then_bits_zero_and_two()
    {
        Assert.Equal([127, 0, 2], PolicyLabel.Bits(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => PolicyLabel.Bits(-1).ToList());
        Assert.Throws<ArgumentOutOfRangeException>(() => PolicyLabel.Bits(PolicyLabel.MaxPolicyId + 1).ToList());
    }

    [Fact]
    public void Labels_without_the_decided_bit_or_cut_short_name_no_policy()
    {
        var labels = new byte[16];
        labels[0] = 3; // some bits, but no policy decided this entry
        Assert.Null(PolicyLabel.Read(labels));
        labels[15] = 0x80;
        Assert.Equal(3L, PolicyLabel.Read(labels));
        Assert.Null(PolicyLabel.Read(labels.AsSpan(0, 15)));
        Assert.Null(PolicyLabel.Read([]));
    }
}
