namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// What one ping run reported: requests sent, replies received, and which requests got no reply (with the
/// local time ping noticed, so a loss can be lined up with the gateway's and charon's logs).
/// </summary>
public sealed record PingSummary(int Transmitted, int Received, IReadOnlyList<string> Unanswered)
{
    public int Lost => Transmitted - Received;

    public override string ToString() =>
        $"{Transmitted} sent, {Received} received, {Lost} lost" +
        (Unanswered.Count == 0 ? "" : $"; unanswered: {string.Join(", ", Unanswered.Take(40))}{(Unanswered.Count > 40 ? " ..." : "")}");
}
