namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// Work that needs the IKE SA's request window (RFC 7296 §2.3, one request at a time). Jobs are data, not closures: they
/// run on whichever IKE SA holds the queue when the window frees up (an IKE rekey moves the queue to the new SA), and
/// each says by itself whether it is still wanted then.
/// </summary>
internal abstract record IkeJob;
