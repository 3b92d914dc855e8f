namespace SharpSwan.Simulate;

/// <summary>The verbs of a simulation script (see README, "Seeing the future").</summary>
public enum ScriptCommandKind
{
    /// <summary>`gateway NAME address IP`: where a gateway sits on the simulated network.</summary>
    GatewayAddress,

    /// <summary>`advance DURATION`: let virtual time run.</summary>
    Advance,

    /// <summary>`at TIME`: let virtual time run until TIME after the start.</summary>
    At,

    /// <summary>`traffic on GW SRC -> DST every DURATION`.</summary>
    TrafficOn,

    /// <summary>`traffic off GW SRC -> DST` or `traffic off all`.</summary>
    TrafficOff,

    /// <summary>`send GW SRC -> DST [count N]`: packets now.</summary>
    Send,

    /// <summary>`link down [A B]`: partition (all links without names).</summary>
    LinkDown,

    LinkUp,

    /// <summary>`loss PERCENT [A B]`.</summary>
    Loss,

    /// <summary>`latency DURATION [A B]`.</summary>
    Latency,

    /// <summary>`restart GW`: crash and come back at once.</summary>
    Restart,

    /// <summary>`crash GW`: gone until `boot GW`.</summary>
    Crash,

    Boot,

    /// <summary>`rekey GW PHASE1 [PHASE2]`: child SA rekey, or IKE SA rekey without a phase 2.</summary>
    Rekey,

    /// <summary>`down GW PHASE1 [PHASE2]`, like `diagnose vpn tunnel down`.</summary>
    Down,

    /// <summary>`up GW PHASE1 [PHASE2]`, like `diagnose vpn tunnel up`.</summary>
    Up,

    /// <summary>`config GW FILE`: apply a new configuration to the running gateway.</summary>
    Config,
}
