namespace SharpSwan.Gateway.Control;

/// <summary>What an operational command's handler works with: the gateway's services and the client's session.</summary>
internal sealed record OperationalContext(ControlCommandHandler Gateway, DiagnoseCommands Diagnose, ControlSession Session);
