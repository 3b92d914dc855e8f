namespace SharpSwan.Ike.Events;

/// <summary>An IKE fragment was dropped unanswered and counted (`diagnose vpn ike stats`); nothing in it was acted on.</summary>
public sealed record IkeFragmentDropped : IkeEvent
{
    public required uint MessageId { get; init; }

    public required bool IsResponse { get; init; }

    public required IkeFragmentDropReason Reason { get; init; }

    /// <summary>Fragment Number and Total Fragments as they arrived (0 when the fragment could not be read that far).</summary>
    public int Number { get; init; }

    public int Total { get; init; }
}
