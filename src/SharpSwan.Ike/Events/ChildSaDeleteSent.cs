namespace SharpSwan.Ike.Events;

/// <summary>We are telling the peer to delete a child SA (log: <c>sending DELETE for IPsec SA in (reason)</c>); <see cref="ChildSaDeleted"/> follows.</summary>
public sealed record ChildSaDeleteSent : ChildSaEvent
{
    public required string Reason { get; init; }
}
