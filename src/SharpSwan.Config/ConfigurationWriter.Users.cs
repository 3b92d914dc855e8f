namespace SharpSwan.Config;

/// <summary>The writer's <c>config user local</c> and <c>config user group</c> entries; passwords only ever encrypted.</summary>
public static partial class ConfigurationWriter
{
    private sealed partial class Writer
    {
        public void LocalUser(LocalUser user)
        {
            Line(1, $"edit {Quote(user.Name)}");
            Set(2, "type", "password", true);
            Flag(2, "status", user.Enabled, true);
            if (user.Password is { } password)
            {
                // Like psksecret: never the password in clear, and still a value the loader reads back.
                Set(2, "passwd", password.ToConfigString(keyring), false);
            }

            Verbatim(2, user.OtherSettings);
        }

        public void UserGroup(UserGroup group)
        {
            Line(1, $"edit {Quote(group.Name)}");
            Set(2, "group-type", "firewall", true);
            Names(2, "member", group.Members);
            Verbatim(2, group.OtherSettings);
        }
    }
}
