using System.Collections.Immutable;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// One <c>config user local</c> entry: a user who authenticates with a password stored on the gateway (<c>type password</c>,
/// the only type SharpSwan supports). The password is a <see cref="Secret"/>, written encrypted like <c>psksecret</c>.
/// </summary>
public sealed record LocalUser
{
    /// <summary>FortiOS limits local user names to 64 characters.</summary>
    public const int MaxNameLength = 64;

    public required string Name { get; init; }

    /// <summary><c>set passwd</c>; null means the user has none yet and cannot authenticate.</summary>
    public Secret? Password { get; init; }

    /// <summary><c>set status</c>: a disabled user cannot authenticate.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Other FortiOS settings we accept and keep verbatim (<c>email-to</c>).</summary>
    public ImmutableArray<ConfigSetting> OtherSettings { get; init; } = [];

    /// <summary>Line of the <c>edit</c> (ignored by equality).</summary>
    [SourceLocation]
    public int SourceLine { get; init; }

    public bool Equals(LocalUser? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
