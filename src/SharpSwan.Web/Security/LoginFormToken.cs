using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace SharpSwan.Web.Security;

/// <summary>
/// The login form's CSRF token, before there is a session: <c>GET /login</c> gives the browser a random nonce in an
/// HttpOnly, SameSite=Strict cookie, and the form carries an HMAC of that nonce under a key that never leaves this process.
/// A login post must bring both, so another site can neither post a login (login CSRF) nor forge the pair.
/// </summary>
internal sealed class LoginFormToken
{
    public const string Cookie = "sharpswan_login";
    public const string Field = "login_token";

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    /// <summary>The token for this browser's form, setting a fresh nonce cookie when it has none.</summary>
    public string Issue(HttpContext context)
    {
        var nonce = context.Request.Cookies[Cookie];
        if (nonce is not { Length: >= 32 and <= 64 })
        {
            nonce = SessionStore.NewToken();
            context.Response.Cookies.Append(Cookie, nonce, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = "/",
                IsEssential = true,
            });
        }

        return Sign(nonce);
    }

    /// <summary>The token for the nonce this browser already holds, without setting a cookie; empty when it holds none.</summary>
    public string Existing(HttpContext context) =>
        context.Request.Cookies[Cookie] is { Length: >= 32 and <= 64 } nonce ? Sign(nonce) : "";

    /// <summary>True when the post carries this browser's nonce cookie and the form token made from it.</summary>
    public bool Verify(HttpContext context, string? presented)
    {
        var nonce = context.Request.Cookies[Cookie];
        if (nonce is not { Length: >= 32 and <= 64 } || presented is not { Length: > 0 })
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(nonce)), Encoding.ASCII.GetBytes(presented));
    }

    private string Sign(string nonce) => Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("login:" + nonce)))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
