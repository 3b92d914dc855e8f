namespace SharpSwan.Platform;

/// <summary>What an nftables trace event reports (the kernel's NFT_TRACETYPE_*).</summary>
public enum FlowTraceKind
{
    /// <summary>The chain ended without a verdict: its policy (accept for SharpSwan's base chains) applied.</summary>
    Policy = 1,

    /// <summary>A chain that was jumped to ended; evaluation goes on in the chain that jumped.</summary>
    Return = 2,

    /// <summary>A rule matched (its verdict may be continue).</summary>
    Rule = 3,
}
