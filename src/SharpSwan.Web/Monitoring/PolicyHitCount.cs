namespace SharpSwan.Web.Monitoring;

/// <summary>How many connections a firewall policy decided (its nftables counter), and their first packets' bytes.</summary>
public readonly record struct PolicyHitCount(long Hits, long Bytes);
