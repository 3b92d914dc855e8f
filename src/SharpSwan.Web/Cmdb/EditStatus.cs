namespace SharpSwan.Web.Cmdb;

internal enum EditStatus
{
    Applied,
    NotFound,
    Duplicate,
    Invalid,
    ApplyFailed,
}
