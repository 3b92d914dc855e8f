using SharpSwan.Ike.Engine.Exchanges;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// The message layer of one IKE SA, below its exchanges (RFC 7296 §2.1-2.3, window size 1): the IDs of our requests and of
/// the peer's, our one outstanding request with its retransmission state, the answer to the peer's last request (resent
/// verbatim when the request is repeated), and the jobs waiting for the window.
/// </summary>
internal sealed class MessageWindow
{
    public uint NextRequestId { get; set; }

    public uint NextExpectedRequestId { get; set; }

    public PendingRequest? Outstanding { get; set; }

    public Queue<IkeJob> Jobs { get; } = new();

    private uint? LastResponseId { get; set; }

    /// <summary>The datagrams of our last answer: one, or every fragment of it (RFC 7383).</summary>
    private IReadOnlyList<byte[]>? LastResponse { get; set; }

    /// <summary>No request of ours is waiting for its answer.</summary>
    public bool IsFree => Outstanding is null;

    public uint TakeRequestId() => NextRequestId++;

    /// <summary>The outstanding request this response answers, or null (a late or stray answer).</summary>
    public PendingRequest? Answered(uint messageId) => Outstanding is { } pending && pending.MessageId == messageId ? pending : null;

    /// <summary>The bytes we answered a request with, when <paramref name="messageId"/> repeats it; null otherwise.</summary>
    public IReadOnlyList<byte[]>? ResponseToRepeat(uint messageId) => LastResponseId == messageId ? LastResponse : null;

    /// <summary>We answered the peer's request <paramref name="messageId"/>: remember the bytes and expect the next ID.</summary>
    public void Responded(uint messageId, IReadOnlyList<byte[]> response)
    {
        LastResponseId = messageId;
        LastResponse = response;
        NextExpectedRequestId = messageId + 1;
    }

    /// <summary>Forgets the outstanding request and every queued job (the IKE SA is gone).</summary>
    public void Clear()
    {
        Outstanding = null;
        Jobs.Clear();
    }
}
