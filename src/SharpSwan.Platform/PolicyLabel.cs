namespace SharpSwan.Platform;

/// <summary>
/// The firewall policy that admitted a connection, kept in the connection tracking entry's labels (128 bits): the policy's
/// rules set bit 127 (a policy decided this entry) and the bits of its id in 0-31 when the connection starts, so `diagnose
/// sys session list` can show <c>policy_id=</c> and filter by it. The label dies with its entry.
/// </summary>
public static class PolicyLabel
{
    /// <summary>Set on every entry a policy admitted, so policy 0 is told from "no policy decided it".</summary>
    public const int DecidedBit = 127;

    /// <summary>The highest id the labels hold (FortiOS's own ceiling).</summary>
    public const long MaxPolicyId = uint.MaxValue;

    /// <summary>The label bits to set for <paramref name="policyId"/>: <see cref="DecidedBit"/>, then the id's set bits.</summary>
    public static IEnumerable<int> Bits(long policyId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(policyId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(policyId, MaxPolicyId);
        yield return DecidedBit;
        for (var bit = 0; bit < 32; bit++)
        {
            if ((policyId & (1L << bit)) != 0)
            {
                yield return bit;
            }
        }
    }

    /// <summary>
    /// The policy id in the labels as ctnetlink gives them (CTA_LABELS: the kernel's bit array, bit n in byte n / 8 at
    /// n % 8); null when no policy decided the entry.
    /// </summary>
    public static long? Read(ReadOnlySpan<byte> labels)
    {
        if (labels.Length < 16 || (labels[DecidedBit / 8] & (1 << (DecidedBit % 8))) == 0)
        {
            return null;
        }

        return labels[0] | ((long)labels[1] << 8) | ((long)labels[2] << 16) | ((long)labels[3] << 24);
    }
}
