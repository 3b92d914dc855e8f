using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Platform;

namespace SharpSwan.Web.Api;

/// <summary>
/// <c>POST /api/v2/monitor/firewall/session/close-all</c> and <c>close-multiple</c> (with <c>pro</c>, <c>saddr</c>,
/// <c>daddr</c>, <c>sport</c>, <c>dport</c>): the REST form of <c>diagnose sys session filter</c> and <c>clear</c>. The
/// connections whose sessions go are decided by the firewall policies again at their next packet. Group <c>fwgrp</c>.
/// </summary>
internal static class SessionEndpoints
{
    private const string Path = "firewall";
    private const string Name = "session";

    public static void Map(RouteGroupBuilder api, Func<SessionFilter, int>? clear)
    {
        api.MapPost("/monitor/firewall/session/{action}", async (HttpContext context, string action) =>
        {
            if (action is not ("close-all" or "close-multiple"))
            {
                return FortiEnvelope.Json(FortiEnvelope.Error(context, Path, Name, 404, -3, $"unknown action {action}: close-all or close-multiple"));
            }

            var filter = SessionFilter.None;
            if (action == "close-multiple")
            {
                var arguments = await MonitorEndpoints.ReadArguments(context);
                if (Filter(arguments, out var error) is not { } chosen)
                {
                    return Refused(context, action, 400, -651, error!);
                }

                filter = chosen;
            }

            if (clear is null)
            {
                return Refused(context, action, 501, -1, "this gateway has no session table to clear");
            }

            try
            {
                await Task.Run(() => clear(filter), context.RequestAborted);
            }
            catch (NetlinkException ex)
            {
                return Refused(context, action, 500, -1, ex.Message);
            }

            var body = FortiEnvelope.Create(context, Path, Name, 200);
            body["action"] = action;
            body["results"] = new JsonObject();
            return FortiEnvelope.Json(body);
        });
    }

    /// <summary>
    /// The filter of a close-multiple request; at least one condition, since none would be close-all. A parameter this
    /// gateway does not filter on is refused, not ignored: ignoring it would close sessions it was meant to keep.
    /// </summary>
    private static SessionFilter? Filter(JsonObject arguments, out string? error)
    {
        error = null;
        (string Name, string Keyword)[] parameters = [("pro", "proto"), ("saddr", "src"), ("daddr", "dst"), ("sport", "sport"), ("dport", "dport")];
        if (arguments.Select(a => a.Key).FirstOrDefault(k => k is not ("vdom" or "access_token") && parameters.All(p => p.Name != k)) is { } unknown)
        {
            error = $"{unknown}: not a filter this gateway applies (it filters on pro, saddr, daddr, sport and dport)";
            return null;
        }

        var filter = SessionFilter.None;
        foreach (var (name, keyword) in parameters)
        {
            var value = arguments[name] is JsonValue json ? json.ToString() : null;
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            if (keyword == "proto")
            {
                value = value.ToLowerInvariant() switch { "icmp" => "1", "tcp" => "6", "udp" => "17", _ => value };
            }

            if (SessionFilter.Apply(filter, [keyword, value], out _) is not { } next)
            {
                error = $"{name}: '{value}' is not {Expected(name)}";
                return null;
            }

            filter = next;
        }

        if (filter.IsEmpty)
        {
            error = "close-multiple needs at least one of pro, saddr, daddr, sport, dport (close-all closes every session)";
            return null;
        }

        return filter;
    }

    private static string Expected(string name) => name switch
    {
        "pro" => "a protocol (icmp, tcp, udp or a number 0-255)",
        "saddr" or "daddr" => "an IPv4 address",
        _ => "a port (0-65535)",
    };

    private static IResult Refused(HttpContext context, string action, int status, int code, string message)
    {
        var error = FortiEnvelope.Error(context, Path, Name, status, code, message);
        error["action"] = action;
        return FortiEnvelope.Json(error);
    }
}
