using System.Collections.Immutable;
using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Config;

/// <summary>
/// Builds <c>config user peer</c> and <c>config user peergrp</c>, and checks the references to them: a peer's <c>ca</c>,
/// a group's members, and a phase 1's <c>peer</c>/<c>peergrp</c>, which only certificate authentication can honour.
/// </summary>
internal static class UserPeerTables
{
    public static (ImmutableArray<UserPeer> Peers, ImmutableArray<UserPeerGroup> Groups) Build(
        RawDocument document, IReadOnlyList<Phase1Settings> phase1, IReadOnlyList<CaCertificate> cas, DiagnosticBag diagnostics)
    {
        var peers = ImmutableArray.CreateBuilder<UserPeer>();
        foreach (var entry in document.Find(SupportedTables.UserPeers)?.Entries ?? [])
        {
            var draft = new UserPeerDraft(entry);
            var other = UserPeerSchema.Fields.Apply(draft, () => new UserPeerDraft(entry), entry, diagnostics);
            var peer = new UserPeer(entry.Name)
            {
                Ca = draft.Ca, Subject = draft.Subject, Cn = draft.Cn, CnType = draft.CnType, OtherSettings = other, SourceLine = entry.NameToken.Line,
            };
            Check(peer, entry, cas, diagnostics);
            peers.Add(peer);
        }

        var groups = ImmutableArray.CreateBuilder<UserPeerGroup>();
        foreach (var entry in document.Find(SupportedTables.UserPeerGroups)?.Entries ?? [])
        {
            var draft = new UserPeerGroupDraft(entry);
            var other = UserPeerSchema.GroupFields.Apply(draft, () => new UserPeerGroupDraft(entry), entry, diagnostics);
            foreach (var member in entry.Find("member")?.Values ?? [])
            {
                if (!peers.Any(p => p.Name == member.Text))
                {
                    diagnostics.EntryNotFound("member", member, $"member \"{member.Text}\" is not a config user peer entry");
                }
            }

            groups.Add(new UserPeerGroup(entry.Name, draft.Members) { OtherSettings = other, SourceLine = entry.NameToken.Line });
        }

        CheckPhase1References(document, phase1, peers, groups, diagnostics);
        return (peers.ToImmutable(), groups.ToImmutable());
    }

    private static void Check(UserPeer peer, RawEntry entry, IReadOnlyList<CaCertificate> cas, DiagnosticBag diagnostics)
    {
        if (peer.Ca is { } ca && !cas.Any(c => c.Name == ca) && entry.Find("ca")?.Values.FirstOrDefault() is { } caToken)
        {
            diagnostics.EntryNotFound("ca", caToken, $"ca \"{ca}\" is not a config vpn certificate ca entry (FortiGate built-in CAs such as Fortinet_CA are not available here: import the CA's certificate)");
        }

        if (peer.Cn is not null && !PeerCertificateRule.TryCreate(peer.Subject, peer.Cn, peer.CnType, out _, out var error)
            && entry.Find("cn")?.Values.FirstOrDefault() is { } cnToken)
        {
            diagnostics.ValueParseError("cn", cnToken, error);
        }
    }

    private static void CheckPhase1References(
        RawDocument document, IReadOnlyList<Phase1Settings> phase1, IReadOnlyCollection<UserPeer> peers, IReadOnlyCollection<UserPeerGroup> groups, DiagnosticBag diagnostics)
    {
        foreach (var path in new[] { SupportedTables.Phase1Interface, SupportedTables.Phase1Policy })
        {
            foreach (var entry in document.Find(path)?.Entries ?? [])
            {
                if (phase1.FirstOrDefault(p => p.Name == entry.Name) is not { } settings)
                {
                    continue;
                }

                if (settings.PeerType == PeerType.PeerGroup && settings.Authmethod != AuthMethod.Signature && entry.Find("peertype")?.Values.FirstOrDefault() is { } type)
                {
                    diagnostics.ValueParseError("peertype", type, $"peertype peergrp matches the peer's certificate against config user peergrp, and phase1 \"{settings.Name}\" uses authmethod psk, which SharpSwan cannot check against it: set authmethod signature, or use peertype any/one");
                    continue;
                }

                CheckReference(entry, "peer", settings.Peer, PeerType.Peer, settings, peers.Any(p => p.Name == settings.Peer), "config user peer", diagnostics);
                CheckReference(entry, "peergrp", settings.PeerGroup, PeerType.PeerGroup, settings, groups.Any(g => g.Name == settings.PeerGroup), "config user peergrp", diagnostics);
                if (settings.PeerType == PeerType.PeerGroup && settings.PeerGroup is null)
                {
                    diagnostics.MustBeSet("peergrp", entry.NameToken, $"phase1 \"{settings.Name}\" uses peertype peergrp and needs the config user peergrp it accepts");
                }
            }
        }
    }

    /// <summary>A name that is set must exist, go with its peertype, and come with certificate authentication, or it would be ignored.</summary>
    private static void CheckReference(
        RawEntry entry, string field, string? name, PeerType wanted, Phase1Settings settings, bool exists, string table, DiagnosticBag diagnostics)
    {
        if (name is null || entry.Find(field)?.Values.FirstOrDefault() is not { } token)
        {
            return;
        }

        var peertype = wanted == PeerType.Peer ? "peer" : "peergrp";
        if (!exists)
        {
            diagnostics.EntryNotFound(field, token, $"{field} \"{name}\" is not a {table} entry");
        }
        else if (settings.PeerType != wanted)
        {
            diagnostics.ValueParseError(field, token, $"{field} \"{name}\" is only checked with peertype {peertype}; set peertype {peertype}, or unset {field}");
        }
        else if (settings.Authmethod != AuthMethod.Signature)
        {
            diagnostics.ValueParseError(field, token, $"{field} \"{name}\" matches the peer's certificate, and this phase1 uses authmethod psk; set authmethod signature, or unset {field}");
        }
    }
}
