namespace SharpSwan.Platform;

/// <summary>The verdict of a traced rule or chain policy (netfilter's NF_* and nftables' NFT_* codes).</summary>
public enum FlowTraceVerdict
{
    Drop = 0,
    Accept = 1,
    Stolen = 2,
    Queue = 3,
    Repeat = 4,
    Stop = 5,
    Continue = -1,
    Break = -2,
    Jump = -3,
    Goto = -4,
    Return = -5,
}
