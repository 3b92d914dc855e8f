using SharpSwan.Ike.Events;
using SharpSwan.Ike.Tests.Support;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// <c>localid-type asn1dn</c> with a <c>localid</c> written as a DN: A sends it as an ID_DER_ASN1_DN (attributes in the
/// order written), and B's <c>peertype one</c> with a DN <c>peerid</c> accepts it written in either order, with other
/// spacing or case (as a DN, not as text), and refuses another DN, over IKEv2 and IKEv1 main mode alike.
/// </summary>
public sealed class DistinguishedNameLocalIdTests
{
    private const string LocalId = "set localid-type asn1dn\nset localid \"C=US, O=Example, CN=hq\"";
    private const string Ikev1 = "set ike-version 1\nset mode main\nset proposal aes128-sha256\nset dhgrp 14\nset dpd disable";

    [Theory]
    [InlineData(2, "C=US,O=Example,CN=hq")]
    [InlineData(2, "CN=hq, O=Example, C=US")]
    [InlineData(1, "cn=HQ, o=example, c=us")]
    public void ADnLocalId_IsAcceptedByTheSameDnAsPeerId(int version, string peerId)
    {
        using var link = Link(version, peerId);
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Single(link.B.Of<IkeSaEstablished>());
        Assert.Single(link.A.Of<ChildSaInstalled>());
        Assert.Empty(link.B.Of<AuthenticationFailed>());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void ADnLocalId_IsRefusedByAnotherDnAsPeerId(int version)
    {
        using var link = Link(version, "C=US, O=Example, CN=branch");
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Empty(link.B.Of<IkeSaEstablished>());
        Assert.Empty(link.A.Of<ChildSaInstalled>());
        var refused = Assert.Single(link.B.Of<AuthenticationFailed>());
        Assert.Equal("C=US, O=Example, CN=hq", refused.PeerIdentity);
    }

    private static EngineLink Link(int version, string peerId) => new(
        phase1Extra: version == 1 ? Ikev1 : "",
        phase2Extra: version == 1 ? "set proposal aes128-sha256\nset dhgrp 14\nset pfs enable" : "",
        phase1ExtraA: LocalId,
        phase1ExtraB: $"set peertype one\nset peerid \"{peerId}\"");
}
