using SharpSwan.Web.Security;

namespace SharpSwan.Web.Gui;

/// <summary>The login form (<c>POST /logincheck</c> with <c>username</c> and <c>secretkey</c>, as FortiOS names them, and the pre-session CSRF token).</summary>
internal static class LoginPage
{
    public static string Render(string hostname, string? error, string? user, string formToken) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Login - {{Html.Encode(hostname)}}</title>
        <link rel="stylesheet" href="/assets/app.css">
        </head>
        <body class="login-page">
        <main>
        <form method="post" action="/logincheck" class="login-card" id="login-form">
          <input type="hidden" name="{{LoginFormToken.Field}}" value="{{Html.Encode(formToken)}}">
          <h1>SharpSwan</h1>
          <p class="hostname">{{Html.Encode(hostname)}}</p>
          <label for="username">Username</label>
          <input id="username" name="username" autocomplete="username" value="{{Html.Encode(user)}}" required autofocus>
          <label for="secretkey">Password</label>
          <input id="secretkey" name="secretkey" type="password" autocomplete="current-password">
          {{(error is null ? "" : $"<p class=\"error\" id=\"login-error\" role=\"alert\">{Html.Encode(error)}</p>")}}
          <button type="submit" id="login">Login</button>
        </form>
        </main>
        </body>
        </html>
        """;
}
