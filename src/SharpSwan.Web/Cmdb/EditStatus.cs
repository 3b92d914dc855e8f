namespace SharpSwan.Web.Cmdb;

internal enum EditStatus
{
    Applied,
    NotFound,
    Duplicate,
    Invalid,
    ApplyFailed,

    /// <summary>An entry the editor opened was changed by another session (CLI or web) since.</summary>
    Stale,
}
