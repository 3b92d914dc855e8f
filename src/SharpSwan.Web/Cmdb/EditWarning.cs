namespace SharpSwan.Web.Cmdb;

/// <summary>
/// Something an applied change brought in that SharpSwan keeps but does not apply (e.g. an mtu without mtu-override):
/// the change is saved, and the client is told so instead of taking the value as in force.
/// </summary>
/// <param name="Path">CLI table path of the line it is about, e.g. <c>system interface</c>; null when not tied to one.</param>
/// <param name="Row">The row's name; null when not tied to one.</param>
/// <param name="Field">The field; null for the row or table itself.</param>
/// <param name="Message">The configuration file's warning, as <c>sharpswan check</c> prints it.</param>
internal sealed record EditWarning(string? Path, string? Row, string? Field, string Message);
