namespace SharpSwan.Config;

/// <summary>The FortiOS spelling of every enum value in the model.</summary>
internal static class Keywords
{
    public static readonly KeywordMap<Phase1Type> Phase1Types = new(
        (Phase1Type.Static, "static"), (Phase1Type.Dynamic, "dynamic"), (Phase1Type.Ddns, "ddns"));

    public static readonly KeywordMap<AuthMethod> AuthMethods = new(
        (AuthMethod.Psk, "psk"), (AuthMethod.Signature, "signature"));

    public static readonly KeywordMap<LocalIdType> LocalIdTypes = new(
        (LocalIdType.Auto, "auto"),
        (LocalIdType.Fqdn, "fqdn"),
        (LocalIdType.UserFqdn, "user-fqdn"),
        (LocalIdType.KeyId, "keyid"),
        (LocalIdType.Address, "address"),
        (LocalIdType.Asn1Dn, "asn1dn"));

    public static readonly KeywordMap<PeerType> PeerTypes = new(
        (PeerType.Any, "any"),
        (PeerType.One, "one"),
        (PeerType.Dialup, "dialup"),
        (PeerType.Peer, "peer"),
        (PeerType.PeerGroup, "peergrp"));

    public static readonly KeywordMap<NatTraversal> NatTraversals = new(
        (NatTraversal.Enable, "enable"), (NatTraversal.Disable, "disable"), (NatTraversal.Forced, "forced"));

    public static readonly KeywordMap<EsnMode> EsnModes = new(
        (EsnMode.Require, "require"), (EsnMode.Allow, "allow"), (EsnMode.Disable, "disable"));

    public static readonly KeywordMap<Ikev1Mode> Ikev1Modes = new(
        (Ikev1Mode.Aggressive, "aggressive"), (Ikev1Mode.Main, "main"));

    public static readonly KeywordMap<XauthType> XauthTypes = new(
        (XauthType.Disable, "disable"), (XauthType.Client, "client"), (XauthType.Pap, "pap"), (XauthType.Chap, "chap"), (XauthType.Auto, "auto"));

    public static readonly KeywordMap<DpdMode> DpdModes = new(
        (DpdMode.Disable, "disable"), (DpdMode.OnIdle, "on-idle"), (DpdMode.OnDemand, "on-demand"));

    public static readonly KeywordMap<KeyLifeType> KeyLifeTypes = new(
        (KeyLifeType.Seconds, "seconds"), (KeyLifeType.Kbs, "kbs"), (KeyLifeType.Both, "both"));

    public static readonly KeywordMap<Encapsulation> Encapsulations = new(
        (Encapsulation.TunnelMode, "tunnel-mode"), (Encapsulation.TransportMode, "transport-mode"));

    public static readonly KeywordMap<DnsMode> DnsModes = new(
        (DnsMode.Manual, "manual"), (DnsMode.Auto, "auto"));

    public static readonly KeywordMap<PolicyAction> PolicyActions = new(
        (PolicyAction.Accept, "accept"), (PolicyAction.Deny, "deny"), (PolicyAction.Ipsec, "ipsec"));

    public static string EnableDisable(bool enabled) => enabled ? "enable" : "disable";
}
