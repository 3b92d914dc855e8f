namespace SharpSwan.Web.Security;

/// <summary>A login attempt: the new session, or the message the login page shows.</summary>
internal sealed record LoginOutcome(AdminSession? Session, string? Error);
