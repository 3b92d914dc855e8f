namespace SharpSwan.Ike.Engine.Lifecycle;

/// <summary>What a child SA's lifetime asks for at a given moment (<see cref="Phase2Lifecycle.Evaluate"/>).</summary>
public enum ChildLifecycleStep
{
    /// <summary>Nothing is due.</summary>
    None,

    /// <summary>The SA carried keylifekbs: out of the data plane now, then deleted.</summary>
    HardExpiredByBytes,

    /// <summary>Its hard lifetime (or, replaced by a rekey, its retirement time) passed: out of the data plane now, then deleted.</summary>
    HardExpired,

    /// <summary>It carried its soft share of keylifekbs: rekey.</summary>
    SoftByBytes,

    /// <summary>Its soft time passed and it is wanted (keepalive, auto-negotiate or recent traffic): rekey.</summary>
    SoftRekey,

    /// <summary>Its soft time passed with no reason to keep it: let it run idle to its hard lifetime.</summary>
    SoftLetExpire,

    /// <summary>Left idle at its soft point, it carried traffic again: rekey now.</summary>
    TrafficAfterSoft,
}
