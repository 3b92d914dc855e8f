using System.Collections.Immutable;
using System.Text;

namespace SharpSwan.Config;

/// <summary>One <c>config system admin</c> entry: an administrator who may log in to the web GUI.</summary>
public sealed record AdminAccount
{
    public const int MaxNameLength = 64;

    /// <summary>A typed plaintext password shorter than this is refused (FortiOS's password-policy default minimum is 8).</summary>
    public const int MinimumPasswordLength = 8;

    public required string Name { get; init; }

    /// <summary>Salted hash of <c>set password</c>; null (no password) means the account cannot log in.</summary>
    public PasswordHash? Password { get; init; }

    /// <summary>Other FortiOS admin settings we accept and keep verbatim (<c>accprofile</c>, <c>vdom</c>, <c>comments</c>).</summary>
    public ImmutableArray<ConfigSetting> OtherSettings { get; init; } = [];

    /// <summary>The <c>accprofile</c> this admin holds; an admin without one is read as <c>super_admin</c> (with a load warning).</summary>
    public string AccessProfileName => OtherSettings.FirstOrDefault(s => s.Name == "accprofile") is { Values: [var name] } ? name : AccessProfile.SuperAdmin;

    /// <summary>Line of the <c>edit</c> (ignored by equality).</summary>
    [SourceLocation]
    public int SourceLine { get; init; }

    public bool Equals(AdminAccount? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
