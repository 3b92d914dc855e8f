using Microsoft.AspNetCore.Http;
using SharpSwan.Gateway.Control;

namespace SharpSwan.Web.Security;

/// <summary>Who makes a web change: the authenticated admin or api-user, by REST or a GUI page, and the client's address.</summary>
internal static class ChangeAuthors
{
    private static readonly object Key = new();

    /// <summary>Kept by the API's authentication filter for the endpoint that changes something.</summary>
    public static void Remember(HttpContext context, ApiAuthentication caller) =>
        context.Items[Key] = new ChangeAuthor(caller.Caller!, ChangeSource.Rest, AdminAuthenticator.Client(context));

    /// <summary>The REST caller the filter authenticated (every /api/v2 endpoint runs behind it).</summary>
    public static ChangeAuthor Of(HttpContext context) =>
        context.Items[Key] as ChangeAuthor ?? throw new InvalidOperationException("an API change without an authenticated caller");

    public static ChangeAuthor Gui(AdminSession session, HttpContext context) =>
        new(session.User, ChangeSource.Gui, AdminAuthenticator.Client(context));
}
