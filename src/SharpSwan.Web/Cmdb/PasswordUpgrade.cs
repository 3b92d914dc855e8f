using SharpSwan.Config;
using SharpSwan.Gateway.Control;

namespace SharpSwan.Web.Cmdb;

/// <summary>Writes an admin's re-hashed password through the one editor, so it is applied, saved and serialised like any change.</summary>
internal static class PasswordUpgrade
{
    /// <param name="client">The address the admin logged in from: the change is theirs.</param>
    public static async Task<bool> SaveAsync(ConfigurationEditor editor, AdminAccount admin, PasswordHash stronger, string client, CancellationToken cancellation)
    {
        var result = await editor.EditAsync(
            document =>
            {
                if (document.Find(AdminPath, admin.Name) is not { } entry)
                {
                    return EditResult.NotFound($"system admin {admin.Name}");
                }

                entry.Set("password", [.. stronger.ToConfigString().Split(' ')]);
                return null;
            },
            admin.Name,
            new ChangeAuthor(admin.Name, ChangeSource.Gui, client),
            cancellation);
        return result.Succeeded;
    }

    private const string AdminPath = "system admin";
}
