using System.Globalization;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// Writes a <see cref="FlowStep"/> as FortiOS prints a debug flow line: <c>id=20085 trace_id=N msg="..."</c>. With
/// `diagnose debug flow show function-name enable`, <c>func=</c> names the nftables table and chain where the kernel saw
/// the step and <c>line=</c> the rule's handle (SharpSwan's trace comes from its nftables rules, not kernel functions).
/// </summary>
public static class FlowTraceFormatter
{
    /// <summary>The message id FortiOS gives its debug flow lines.</summary>
    public const int MessageId = 20085;

    public static string Format(FlowStep step, bool showFunctionName)
    {
        ArgumentNullException.ThrowIfNull(step);
        var function = showFunctionName
            ? string.Create(CultureInfo.InvariantCulture, $" func={step.Where} line={step.RuleHandle ?? 0}")
            : "";
        return string.Create(CultureInfo.InvariantCulture, $"id={MessageId} trace_id={step.TraceNumber}{function} msg=\"{Message(step)}\"");
    }

    public static string Message(FlowStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.Kind switch
        {
            FlowStepKind.Received when step.Packet is { } packet =>
                $"vd-root:0 received a packet{packet.Tuple()} from {step.Tunnel ?? step.Interface ?? "local"}.{packet.Details()}",
            FlowStepKind.ExistingSession => ExistingSession(step),
            FlowStepKind.NewSession when step.SessionId is { } id => string.Create(CultureInfo.InvariantCulture, $"allocate a new session-{id:x8}"),
            FlowStepKind.NewSession => "allocate a new session",
            FlowStepKind.LocalIn => "to this gateway, not through a tunnel: local-in, not checked against firewall policies",
            FlowStepKind.GatewayTraffic => "the gateway's own IKE or ESP: not checked against firewall policies",
            FlowStepKind.Allowed => string.Create(CultureInfo.InvariantCulture, $"Allowed by Policy-{step.PolicyId}:{(step.Action is { } action ? " " + action : "")}"),
            FlowStepKind.Denied => string.Create(CultureInfo.InvariantCulture, $"Denied by forward policy check (policy {step.PolicyId})"),
            FlowStepKind.Tunnel when step.Core is { } core => Core(core),
            FlowStepKind.Route when step.NextHop is { } hop => $"find a route: gw-{Ipv4Range.Text(hop)} via {step.Interface}",
            FlowStepKind.Sent when step.Tunnel is { } tunnel => $"enter IPSec {(step.PolicyBased ? "tunnel" : "interface")}-{tunnel}",
            FlowStepKind.Sent => $"send out via {step.Interface}",
            _ => step.Kind.ToString(),
        };
    }

    /// <summary>FortiOS's "Find an existing session, id-..., original|reply direction", as much of it as the kernel said.</summary>
    private static string ExistingSession(FlowStep step)
    {
        var text = "Find an existing session";
        if (step.SessionId is { } id)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", id-{id:x8}");
        }

        return step.ReplyDirection switch
        {
            true => text + ", reply direction",
            false => text + ", original direction",
            null => text,
        };
    }

    private static string Core(TunnelStep core) => core.Outcome switch
    {
        TunnelOutcome.Encrypted => string.Create(
            CultureInfo.InvariantCulture, $"encrypted by SA spi={core.Spi:x8} of phase2 {core.Phase2}, and send to {core.Remote} with source {core.Local}"),
        TunnelOutcome.Released => string.Create(
            CultureInfo.InvariantCulture,
            $"released from the trigger queue: encrypted by SA spi={core.Spi:x8} of phase2 {core.Phase2}, and send to {core.Remote} with source {core.Local}"),
        TunnelOutcome.Held => $"no SA for phase2 {core.Phase2}: negotiation triggered, packet held in the trigger queue",
        TunnelOutcome.DroppedNegotiating => $"no SA for phase2 {core.Phase2}: negotiation triggered, packet dropped",
        TunnelOutcome.DroppedNeverInitiates => $"no SA for phase2 {core.Phase2}, and a dial-up phase1 never initiates: packet dropped",
        TunnelOutcome.DroppedOutsideSelectors => $"outside the negotiated selectors of phase2 {core.Phase2}: packet dropped",
        TunnelOutcome.Decrypted => string.Create(
            CultureInfo.InvariantCulture, $"decrypted by SA spi={core.Spi:x8} of phase2 {core.Phase2}, received from {core.Remote} on {core.Local}"),
        TunnelOutcome.DecryptedOutsideSelectors => string.Create(
            CultureInfo.InvariantCulture, $"decrypted by SA spi={core.Spi:x8} of phase2 {core.Phase2}, but outside its negotiated selectors: packet dropped"),
        _ => $"no phase2 of {core.Phase1} has selectors for the packet: dropped",
    };
}
