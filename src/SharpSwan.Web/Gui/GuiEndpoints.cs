using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SharpSwan.Config;
using SharpSwan.Config.Editing;
using SharpSwan.Web.Cmdb;
using SharpSwan.Web.Monitoring;
using SharpSwan.Web.Security;

namespace SharpSwan.Web.Gui;

/// <summary>
/// The server-rendered pages. Every page needs a live session (else the login page) whose access profile may read
/// <c>vpngrp</c>; every POST needs the session's CSRF token in the form, and a change needs <c>vpngrp</c> read-write.
/// </summary>
internal sealed class GuiEndpoints(
    AdminAuthenticator authentication,
    LoginFormToken loginToken,
    ConfigurationEditor editor,
    ITunnelMonitor monitor,
    TunnelTimeline timeline,
    TimeProvider time)
{
    private string Hostname => editor.Current.Global.Hostname;

    /// <summary>The firewall policies' hit counts by id (0: the implicit deny), read when the Policies page is drawn.</summary>
    public required Func<IReadOnlyDictionary<long, PolicyHitCount>> PolicyHits { get; init; }

    public void Map(WebApplication app)
    {
        app.MapGet("/", (HttpContext context) =>
            Results.Redirect(authentication.Session(context) is null ? "/login" : "/ipsec/tunnels"));
        app.MapGet("/assets/{file}", (string file) => StaticAssets.Serve(file));
        app.MapGet("/login", (HttpContext context) =>
            authentication.Session(context) is null ? Html.Page(LoginPage.Render(Hostname, null, null, loginToken.Issue(context))) : Results.Redirect("/ipsec/tunnels"));
        app.MapPost("/logincheck", (Func<HttpContext, Task<IResult>>)LoginAsync);
        app.MapPost("/logout", (Func<HttpContext, Task<IResult>>)LogoutAsync);
        app.MapGet("/ipsec/tunnels", (Func<HttpContext, Task<IResult>>)TunnelsAsync);
        app.MapGet("/ipsec/tunnels/new", (HttpContext context) =>
            WithSession(context, session => Html.Page(Layout.Render("New VPN Tunnel", "tunnels", Hostname, session, TunnelEditPage.Render(TunnelForm.New(), FormErrors.None, session.CsrfToken, session.Profile.Level(AccessGroups.Network))))));
        app.MapPost("/ipsec/tunnels/new", (Func<HttpContext, Task<IResult>>)(context => SaveAsync(context, null)));
        app.MapGet("/ipsec/tunnels/{name}/edit", (HttpContext context, string name) => WithSession(context, session =>
            TunnelForm.From(editor.Current, name) is { } form
                ? Html.Page(Layout.Render($"Edit {name}", "tunnels", Hostname, session, TunnelEditPage.Render(form, FormErrors.None, session.CsrfToken, session.Profile.Level(AccessGroups.Network))))
                : NotFound(session, name)));
        app.MapPost("/ipsec/tunnels/{name}/edit", (HttpContext context, string name) => SaveAsync(context, name));
        app.MapPost("/ipsec/tunnels/{name}/delete", (HttpContext context, string name) => DeleteAsync(context, name));
        app.MapGet("/ipsec/monitor", (Func<HttpContext, Task<IResult>>)MonitorAsync);
        app.MapGet("/firewall/policies", (Func<HttpContext, Task<IResult>>)PoliciesAsync);
        app.MapGet("/ipsec/timeline/{name}", (HttpContext context, string name, int? hours) => TimelineAsync(context, name, hours));
    }

    private async Task<IResult> TimelineAsync(HttpContext context, string name, int? hours)
    {
        if (authentication.Session(context) is not { } session)
        {
            return Results.Redirect("/login");
        }

        if (Denied(session, AccessLevel.Read) is { } denied)
        {
            return denied;
        }

        var range = TimelinePage.RangesInHours.Contains(hours ?? 6) ? hours ?? 6 : 6;
        var now = time.GetUtcNow();

        // Known: configured, live (a dial-up instance is in no configuration), or with history kept (a peer that left).
        var known = editor.Current.FindPhase1(name) is not null
            || timeline.EventsFor(name, now - TunnelTimeline.Retention).Count > 0
            || (await monitor.GetSnapshotAsync(context.RequestAborted)).Tunnels.Any(t => t.Name == name);
        if (!known)
        {
            return NotFound(session, name);
        }

        var events = timeline.EventsFor(name, now.AddHours(-range));
        return Html.Page(Layout.Render($"Timeline {name}", "monitor", Hostname, session, TimelinePage.Render(name, events, now, range, time.LocalTimeZone)));
    }

    private async Task<IResult> LoginAsync(HttpContext context)
    {
        // Login CSRF: a form posted from another site carries that site's Origin.
        if (!SameOrigin(context))
        {
            return Html.Page(LoginPage.Render(Hostname, "Login refused: the form was not sent from this page.", null, loginToken.Existing(context)), 403);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var user = form["username"].ToString();
        if (!loginToken.Verify(context, form[LoginFormToken.Field].ToString()))
        {
            // Checked before the password, so a forged post learns nothing and counts toward no lock-out.
            return Html.Page(LoginPage.Render(Hostname, "Login refused: the form's token is missing or stale; reload the page and log in again.", user, loginToken.Issue(context)), 403);
        }

        var outcome = await authentication.LoginAsync(AdminAuthenticator.Client(context), user, form["secretkey"].ToString(), context.RequestAborted);
        if (outcome.Session is not { } session)
        {
            return Html.Page(LoginPage.Render(Hostname, outcome.Error, user, loginToken.Issue(context)), 401);
        }

        context.Response.Cookies.Append(AdminAuthenticator.SessionCookie, session.Id, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
            IsEssential = true,
        });
        return Results.Redirect("/ipsec/tunnels");
    }

    private async Task<IResult> LogoutAsync(HttpContext context) => await WithPostAsync(context, AccessLevel.None, (session, _) =>
    {
        authentication.Logout(session, AdminAuthenticator.Client(context));
        context.Response.Cookies.Delete(AdminAuthenticator.SessionCookie, new CookieOptions { Path = "/" });
        return Task.FromResult(Results.Redirect("/login"));
    });

    private async Task<IResult> TunnelsAsync(HttpContext context)
    {
        if (authentication.Session(context) is not { } session)
        {
            return Results.Redirect("/login");
        }

        if (Denied(session, AccessLevel.Read) is { } denied)
        {
            return denied;
        }

        var snapshot = await monitor.GetSnapshotAsync(context.RequestAborted);
        var saved = context.Request.Query["saved"].ToString();
        var deleted = context.Request.Query["deleted"].ToString();
        var notice = saved.Length > 0 ? $"Tunnel {saved} saved and applied." : deleted.Length > 0 ? $"Tunnel {deleted} deleted." : null;
        var current = editor.Current;

        // What the saved tunnel keeps but does not apply (e.g. an MTU without Override MTU): said here, never left silent.
        IReadOnlyList<EntryWarning> warnings = saved.Length > 0 && current.FindPhase1(saved) is not null
            ? EntryWarning.Of(EditableDocument.FromConfiguration(current), [saved, .. current.Phase2For(saved).Select(p => p.Name)])
            : [];
        return Html.Page(Layout.Render("IPsec Tunnels", "tunnels", Hostname, session, TunnelListPage.Render(current, snapshot, session.CsrfToken, notice, session.CanEditTunnels, warnings)));
    }

    private async Task<IResult> MonitorAsync(HttpContext context)
    {
        if (authentication.Session(context) is not { } session)
        {
            return Results.Redirect("/login");
        }

        if (Denied(session, AccessLevel.Read) is { } denied)
        {
            return denied;
        }

        var snapshot = await monitor.GetSnapshotAsync(context.RequestAborted);
        return Html.Page(Layout.Render("IPsec Monitor", "monitor", Hostname, session, MonitorPage.Render(snapshot, time.LocalTimeZone)));
    }

    private async Task<IResult> PoliciesAsync(HttpContext context)
    {
        if (authentication.Session(context) is not { } session)
        {
            return Results.Redirect("/login");
        }

        if (Denied(session, AccessLevel.Read, AccessGroups.Firewall) is { } denied)
        {
            return denied;
        }

        // nft runs as a process: read the counters off the request thread.
        var hits = await Task.Run(PolicyHits, context.RequestAborted);
        return Html.Page(Layout.Render("Firewall Policies", "policies", Hostname, session, PoliciesPage.Render(editor.Current, hits)));
    }

    private async Task<IResult> SaveAsync(HttpContext context, string? name) => await WithPostAsync(context, async (session, post) =>
    {
        var existing = name is null ? null : TunnelForm.From(editor.Current, name);
        if (name is not null && existing is null)
        {
            return NotFound(session, name);
        }

        var form = TunnelForm.FromPost(post, name, existing?.PolicyBased ?? false);

        // The tunnel interface is a system interface entry: netgrp's, as in the REST API, whatever vpngrp allows.
        if (form.InterfacePosted && Denied(session, AccessLevel.ReadWrite, AccessGroups.Network) is { } notNetwork)
        {
            return notNetwork;
        }
        var result = await editor.EditAsync(form.ApplyTo, form.Name, ChangeAuthors.Gui(session, context), context.RequestAborted, TunnelVersions.StillCurrent(form.Versions, name));
        if (result.Succeeded)
        {
            return Results.Redirect($"/ipsec/tunnels?saved={Uri.EscapeDataString(form.Name)}");
        }

        var errors = result.Errors.Count > 0
            ? result.Errors
            : [new FieldError(null, null, null, result.Message, "", result.Message, result.ReturnCode)];
        var title = form.IsNew ? "New VPN Tunnel" : $"Edit {name}";
        return Html.Page(Layout.Render(title, "tunnels", Hostname, session, TunnelEditPage.Render(form, new FormErrors(errors), session.CsrfToken, session.Profile.Level(AccessGroups.Network))), 422);
    });

    private async Task<IResult> DeleteAsync(HttpContext context, string name) => await WithPostAsync(context, async (session, _) =>
    {
        var result = await editor.EditAsync(
            document =>
            {
                // Route-based (phase1-interface) or policy-based (phase1): FortiOS names both from one namespace.
                var policyBased = !document.Remove(TunnelForm.Phase1Path, name);
                if (policyBased && !document.Remove(TunnelForm.PolicyPhase1Path, name))
                {
                    return EditResult.NotFound($"phase1-interface {name}");
                }

                document.RemoveAll(policyBased ? TunnelForm.PolicyPhase2Path : TunnelForm.Phase2Path, r => r.Words("phase1name") is [var only] && only.Text == name);

                // Its tunnel interface goes with it, as the page edits them together; that entry is netgrp's.
                if (!policyBased && document.Find(TunnelInterfaceEdits.Path, name) is not null)
                {
                    if (session.Profile.Level(AccessGroups.Network) < AccessLevel.ReadWrite)
                    {
                        return EditResult.Invalid($"{AccessGroups.Denied(session.Profile, AccessGroups.Network, AccessLevel.ReadWrite)}: the tunnel's interface (config {TunnelInterfaceEdits.Path} \"{name}\") would be deleted with it", EditError.InUse);
                    }

                    document.Remove(TunnelInterfaceEdits.Path, name);
                }

                return null;
            },
            name,
            ChangeAuthors.Gui(session, context),
            context.RequestAborted);
        if (result.Succeeded)
        {
            return Results.Redirect($"/ipsec/tunnels?deleted={Uri.EscapeDataString(name)}");
        }

        var content = $"<h1>Tunnel not deleted</h1><div class=\"error-summary\" role=\"alert\">{string.Concat(result.Errors.Select(FormErrors.Render))}<p>{Html.Encode(result.Message)}</p></div><p><a class=\"button\" href=\"/ipsec/tunnels\">Back</a></p>";
        return Html.Page(Layout.Render("Tunnel not deleted", "tunnels", Hostname, session, content), 422);
    });

    private IResult WithSession(HttpContext context, Func<AdminSession, IResult> page) =>
        authentication.Session(context) is not { } session ? Results.Redirect("/login")
            : Denied(session, AccessLevel.Read) ?? page(session);

    /// <summary>A page refusing a session whose profile gives less than <paramref name="level"/> on <paramref name="group"/>; null when allowed.</summary>
    private IResult? Denied(AdminSession session, AccessLevel level, string group = AccessGroups.Vpn)
    {
        if (session.Profile.Level(group) >= level)
        {
            return null;
        }

        var message = AccessGroups.Denied(session.Profile, group, level);
        return Html.Page(Layout.Render("Refused", "", Hostname, session, $"<h1>Request refused</h1><p class=\"error\" id=\"access-denied\">{Html.Encode(message)}; nothing was changed.</p>"), 403);
    }

    /// <summary>A state-changing form post: a live session and its CSRF token, or nothing happens; changes need read-write.</summary>
    private Task<IResult> WithPostAsync(HttpContext context, Func<AdminSession, IFormCollection, Task<IResult>> handle) =>
        WithPostAsync(context, AccessLevel.ReadWrite, handle);

    private async Task<IResult> WithPostAsync(HttpContext context, AccessLevel level, Func<AdminSession, IFormCollection, Task<IResult>> handle)
    {
        if (authentication.Session(context) is not { } session)
        {
            return Results.Redirect("/login");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!AdminAuthenticator.CsrfMatches(session, form[AdminAuthenticator.CsrfField].ToString()))
        {
            return Html.Page(Layout.Render("Refused", "", Hostname, session, "<h1>Request refused</h1><p class=\"error\">The form's CSRF token is missing or wrong; nothing was changed. Reload the page and try again.</p>"), 403);
        }

        return Denied(session, level) ?? await handle(session, form);
    }

    private IResult NotFound(AdminSession session, string name) =>
        Html.Page(Layout.Render("Not found", "tunnels", Hostname, session, $"<h1>Not found</h1><p>There is no tunnel named {Html.Encode(name)}.</p>"), 404);

    private static bool SameOrigin(HttpContext context)
    {
        // Scripts and older browsers send no Origin; a browser posting from another site always does.
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
