namespace SharpSwan.Ike.Engine;

/// <summary>
/// Our signature (certificate authentication: IKEv2's IKE_AUTH, IKEv1's phase-1 SIG), made where the host wants it; the
/// AUTH or SIG payload is added and the exchange goes on on the engine thread. A pre-shared key's AUTH or HASH is a cheap
/// MAC and never comes here.
/// </summary>
internal abstract class OwnAuthComputation : EngineComputation
{
    private readonly OwnSignature _signature;

    private protected OwnAuthComputation(IkeSa sa, OwnSignature signature)
        : base(sa) => _signature = signature;

    /// <summary>The AUTH (IKEv2) or SIG (IKEv1) payload's data; null until run, or when signing failed (<see cref="Error"/>).</summary>
    public byte[]? AuthData => _signature.AuthData;

    public string Error => _signature.Error;

    private protected override void Compute() => _signature.Sign();

    private protected override void ReleaseInputs() => _signature.Release();

    // A signature is no secret: nothing to wipe.
    private protected override void DiscardResult()
    {
    }
}
