namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// What our outstanding request was for, kept with it in the window until its answer arrives or it times out: the engine
/// dispatches the answer (or the timeout) on this type instead of on captured closures.
/// </summary>
internal abstract record SentRequest;
