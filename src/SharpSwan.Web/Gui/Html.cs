using System.Net;
using Microsoft.AspNetCore.Http;

namespace SharpSwan.Web.Gui;

/// <summary>Small helpers for server-rendered pages. Every value that reaches HTML goes through <see cref="Encode"/>.</summary>
internal static class Html
{
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A name inside a URL path segment.</summary>
    public static string Path(string segment) => Uri.EscapeDataString(segment);

    public static string Checked(bool on) => on ? " checked" : "";

    public static string Selected(bool on) => on ? " selected" : "";

    public static string Disabled(bool on) => on ? " disabled" : "";

    public static string Hidden(bool on) => on ? " hidden" : "";

    /// <summary>The mark of a policy-based tunnel (<c>config vpn ipsec phase1</c>) in the tunnel list, monitor and edit pages.</summary>
    public const string PolicyBadge =
        "<span class=\"badge policy-based\" title=\"config vpn ipsec phase1: firewall policies (action ipsec) send traffic into it\">Policy-based</span>";

    public static IResult Page(string html, int status = 200) => new HtmlResult(html, status);

    /// <summary>Writes a page with headers that keep it out of caches and frames.</summary>
    private sealed class HtmlResult(string html, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "text/html; charset=utf-8";
            httpContext.Response.Headers.CacheControl = "no-store";
            return httpContext.Response.WriteAsync(html, httpContext.RequestAborted);
        }
    }
}
