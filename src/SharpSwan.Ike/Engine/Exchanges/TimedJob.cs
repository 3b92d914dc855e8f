namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>Work due at a later time (a retry after a refusal, a deferred data-plane removal), as data rather than a closure.</summary>
internal abstract record TimedJob;
