namespace SharpSwan.Web.Cmdb;

/// <summary>
/// One validation error placed on a field: <paramref name="Message"/> and <paramref name="Reason"/> are the configuration
/// file's wording, <paramref name="CliText"/> what the FortiOS CLI prints for it (with its return code).
/// </summary>
/// <param name="Path">CLI table path, e.g. <c>vpn ipsec phase2-interface</c>; null when not tied to one.</param>
/// <param name="Row">The row's name; null for the object table or when not tied to one.</param>
/// <param name="Field">The field; <c>name</c> for errors about the row itself; null when unknown.</param>
/// <param name="Message">e.g. <c>value parse error before '100'</c>.</param>
/// <param name="Reason">e.g. <c>keylifeseconds must be 120-172800</c>.</param>
/// <param name="CliText">e.g. <c>node_check_object fail! for keylifeseconds 100\nvalue parse error before '100'\nCommand fail. Return code -651</c>.</param>
/// <param name="ReturnCode">FortiOS return code, e.g. -651.</param>
internal sealed record FieldError(string? Path, string? Row, string? Field, string Message, string Reason, string CliText, int ReturnCode);
