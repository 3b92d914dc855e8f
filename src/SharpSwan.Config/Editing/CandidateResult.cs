namespace SharpSwan.Config.Editing;

/// <summary>The model built from a candidate document (complete even when invalid) and the errors found.</summary>
internal sealed record CandidateResult(GatewayConfiguration Configuration, IReadOnlyList<LocatedError> Errors);
