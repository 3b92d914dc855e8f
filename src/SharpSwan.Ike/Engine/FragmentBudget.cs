namespace SharpSwan.Ike.Engine;

/// <summary>
/// The octets all partial IKE messages of one engine may hold together while they wait for their other fragments: each IKE
/// SA's own cap bounds one peer, this bounds many (every half-open SA has keys, so each could hold a partial message).
/// </summary>
internal sealed class FragmentBudget(long limit)
{
    public long Limit { get; } = limit;

    public long Held { get; private set; }

    public bool TryTake(int octets)
    {
        if (Held + octets > Limit)
        {
            return false;
        }

        Held += octets;
        return true;
    }

    public void Release(int octets) => Held = Math.Max(0, Held - octets);
}
