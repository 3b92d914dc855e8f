namespace SharpSwan.Ike.Wire;

/// <summary>TSi / TSr payload (RFC 7296 §3.13).</summary>
public sealed record TrafficSelectorPayload(bool IsInitiator, IReadOnlyList<TrafficSelector> Selectors) : IkePayload
{
    private const int FixedLength = 4;

    public override PayloadType Type => IsInitiator ? PayloadType.TrafficSelectorInitiator : PayloadType.TrafficSelectorResponder;

    internal override int BodyLength
    {
        get
        {
            int length = FixedLength;
            foreach (var selector in Selectors)
            {
                length += selector.EncodedLength;
            }

            return length;
        }
    }

    internal override void WriteBody(Span<byte> destination)
    {
        if (Selectors.Count > byte.MaxValue)
        {
            throw new ArgumentException("A TS payload holds at most 255 selectors.");
        }

        destination[0] = (byte)Selectors.Count;
        destination[1..FixedLength].Clear();
        int offset = FixedLength;
        foreach (var selector in Selectors)
        {
            selector.Write(destination[offset..]);
            offset += selector.EncodedLength;
        }
    }

    internal static TrafficSelectorPayload? TryDecode(bool isInitiator, ReadOnlySpan<byte> body, out string? error)
    {
        if (body.Length < FixedLength)
        {
            error = "TS payload shorter than its 4 fixed octets";
            return null;
        }

        int count = body[0];
        if (count == 0)
        {
            error = "TS payload holds no selector";
            return null;
        }

        var selectors = new List<TrafficSelector>(count);
        var remaining = body[FixedLength..];
        for (int i = 0; i < count; i++)
        {
            var selector = TrafficSelector.TryDecode(remaining, out int consumed, out error);
            if (selector is null)
            {
                return null;
            }

            selectors.Add(selector);
            remaining = remaining[consumed..];
        }

        if (!remaining.IsEmpty)
        {
            error = $"{remaining.Length} octets left after {count} traffic selectors";
            return null;
        }

        error = null;
        return new TrafficSelectorPayload(isInitiator, selectors);
    }

    public override string ToString() => $"{(IsInitiator ? "TSi" : "TSr")}({string.Join(", ", Selectors)})";
}
