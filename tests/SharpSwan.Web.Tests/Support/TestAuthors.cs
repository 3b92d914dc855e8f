using SharpSwan.Gateway.Control;

namespace SharpSwan.Web.Tests.Support;

/// <summary>The author of changes a test makes behind the web's back (straight to the applier).</summary>
internal static class TestAuthors
{
    public static ChangeAuthor Test { get; } = new("test", ChangeSource.Rest, "test");
}
