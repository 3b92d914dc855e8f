using SharpSwan.Config;

namespace SharpSwan.Web.Cmdb;

/// <summary>Writes an admin's re-hashed password through the one editor, so it is applied, saved and serialised like any change.</summary>
internal static class PasswordUpgrade
{
    public static async Task<bool> SaveAsync(ConfigurationEditor editor, AdminAccount admin, PasswordHash stronger, CancellationToken cancellation)
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
            cancellation);
        return result.Succeeded;
    }

    private const string AdminPath = "system admin";
}
