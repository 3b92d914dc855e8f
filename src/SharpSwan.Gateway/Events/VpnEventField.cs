namespace SharpSwan.Gateway.Events;

/// <summary>One `name=value` pair of an event record; FortiOS quotes text and leaves numbers and addresses bare.</summary>
public readonly record struct VpnEventField(string Name, string Value, bool Quoted = true);
