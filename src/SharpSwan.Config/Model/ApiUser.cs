using System.Collections.Immutable;
using System.Text;

namespace SharpSwan.Config;

/// <summary>One <c>config system api-user</c> entry: a REST API client authenticated by a bearer token.</summary>
public sealed record ApiUser
{
    public const int MaxNameLength = 35;

    /// <summary>Shorter keys are refused: a token is the whole credential, so it must not be guessable.</summary>
    public const int MinimumApiKeyLength = 16;

    public required string Name { get; init; }

    /// <summary>Salted hash of <c>set api-key</c>; null means the user has no token yet and cannot authenticate.</summary>
    public PasswordHash? ApiKey { get; init; }

    /// <summary>Other FortiOS api-user settings we accept and keep verbatim (<c>accprofile</c>, <c>vdom</c>, <c>comments</c>).</summary>
    public ImmutableArray<ConfigSetting> OtherSettings { get; init; } = [];

    /// <summary>The <c>accprofile</c> this user holds; a user without one is read as <c>super_admin</c> (with a load warning).</summary>
    public string AccessProfileName => OtherSettings.FirstOrDefault(s => s.Name == "accprofile") is { Values: [var name] } ? name : AccessProfile.SuperAdmin;

    /// <summary>Line of the <c>edit</c> (ignored by equality).</summary>
    [SourceLocation]
    public int SourceLine { get; init; }

    public bool Equals(ApiUser? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
