namespace SharpSwan.Platform.Tests;

/// <summary>TUN and rtnetlink tests cannot run unprivileged; they fail loudly instead of skipping.</summary>
internal static class RootRequirement
{
    public static void Ensure() =>
        Assert.True(
            ProcessPrivileges.IsRoot,
            "root is required: these tests create TUN devices and change routes (CAP_NET_ADMIN). Run `dotnet test` as root.");
}
