namespace SharpSwan.Ike.Engine;

/// <summary>
/// The check of the peer's signature (certificate authentication: IKEv2's IKE_AUTH, IKEv1's phase-1 SIG): its certificate
/// chain and its signature, computed where the host wants it; the verdict (with the engine-side rules) is drawn on the
/// engine thread. A pre-shared key's AUTH or HASH is a cheap MAC and is checked inline.
/// </summary>
internal abstract class PeerAuthComputation : EngineComputation
{
    private protected PeerAuthComputation(IkeSa sa, PeerSignatureCheck check)
        : base(sa) => Check = check;

    public PeerSignatureCheck Check { get; }

    private protected override void Compute() => Check.Check();

    private protected override void ReleaseInputs() => Check.Release();

    private protected override void DiscardResult() => Check.Chain?.Dispose();
}
