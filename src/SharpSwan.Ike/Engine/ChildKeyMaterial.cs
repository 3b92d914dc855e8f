namespace SharpSwan.Ike.Engine;

/// <summary>What a child SA's keys derive from on the responder side: both nonces, the PFS secret (empty without PFS) and our DH value.</summary>
internal sealed record ChildKeyMaterial(byte[] NonceI, byte[] NonceR, byte[] Secret, byte[]? OurPublic);
