namespace SharpSwan.Ike.Events;

/// <summary>Which end started the exchange that created an SA.</summary>
public enum IkeRole
{
    Initiator,
    Responder,
}
