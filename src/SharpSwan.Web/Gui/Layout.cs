using SharpSwan.Web.Security;

namespace SharpSwan.Web.Gui;

/// <summary>The frame every logged-in page shares: top bar, navigation, logout (a CSRF-protected POST), content.</summary>
internal static class Layout
{
    public static string Render(string title, string active, string hostname, AdminSession session, string content) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="csrf-token" content="{{Html.Encode(session.CsrfToken)}}">
        <title>{{Html.Encode(title)}} - {{Html.Encode(hostname)}}</title>
        <link rel="stylesheet" href="/assets/app.css">
        <script src="/assets/app.js" defer></script>
        </head>
        <body>
        <header class="topbar">
          <span class="brand">SharpSwan</span>
          <span class="hostname">{{Html.Encode(hostname)}}</span>
          <nav>
            <a href="/ipsec/tunnels"{{(active == "tunnels" ? " class=\"active\"" : "")}}>IPsec Tunnels</a>
            <a href="/ipsec/monitor"{{(active == "monitor" ? " class=\"active\"" : "")}}>IPsec Monitor</a>
            <a href="/firewall/policies" id="nav-policies"{{(active == "policies" ? " class=\"active\"" : "")}}>Policies</a>
          </nav>
          <form method="post" action="/logout" class="logout">
            <input type="hidden" name="{{AdminAuthenticator.CsrfField}}" value="{{Html.Encode(session.CsrfToken)}}">
            <span class="user">{{Html.Encode(session.User)}}</span>
            <button type="submit" id="logout">Logout</button>
          </form>
        </header>
        <main>
        {{content}}
        </main>
        </body>
        </html>
        """;
}
