namespace SharpSwan.Config.Editing;

/// <summary>The model built from a candidate document (complete even when invalid), the errors found and the warnings.</summary>
internal sealed record CandidateResult(GatewayConfiguration Configuration, IReadOnlyList<LocatedError> Errors, IReadOnlyList<LocatedWarning> Warnings);
