using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Platform;

namespace SharpSwan.Web.Api;

/// <summary>
/// <c>GET /api/v2/monitor/firewall/session</c> (the sessions, optionally filtered, paged by <c>start</c> and
/// <c>count</c>), and <c>POST .../close-all</c> and <c>close-multiple</c>: the REST form of <c>diagnose sys session
/// filter</c>, <c>list</c> and <c>clear</c>. Filters: <c>pro</c>, <c>saddr</c>, <c>daddr</c>, <c>sport</c>, <c>dport</c>,
/// <c>policyid</c>. The connections whose sessions go are decided by the firewall policies again at their next packet.
/// Group <c>fwgrp</c>.
/// </summary>
internal static class SessionEndpoints
{
    private const string Path = "firewall";
    private const string Name = "session";

    /// <summary>The page size when the request gives none, and the largest it may ask for.</summary>
    private const int DefaultCount = 20;

    private const int MaxCount = 1000;

    public static void Map(RouteGroupBuilder api, Func<SessionFilter, int>? clear, Func<List<ConnectionEntry>>? list = null)
    {
        api.MapGet("/monitor/firewall/session", async (HttpContext context) =>
        {
            var arguments = await MonitorEndpoints.ReadArguments(context);
            if (!TryPage(arguments, out var start, out var count, out var pageError))
            {
                return Refused(context, "list", 400, -651, pageError!);
            }

            if (Filter(arguments, out var error, requireCondition: false) is not { } filter)
            {
                return Refused(context, "list", 400, -651, error!);
            }

            if (list is null)
            {
                return Refused(context, "list", 501, -1, "this gateway has no session table to list");
            }

            List<ConnectionEntry> sessions;
            try
            {
                sessions = await Task.Run(list, context.RequestAborted);
            }
            catch (NetlinkException ex)
            {
                return Refused(context, "list", 500, -1, ex.Message);
            }

            var matched = sessions.Where(filter.Matches).ToList();
            var details = new JsonArray();
            foreach (var session in matched.Skip(start).Take(count))
            {
                details.Add(Describe(session));
            }

            var body = FortiEnvelope.Create(context, Path, Name, 200);
            body["results"] = new JsonObject { ["details"] = details, ["total"] = matched.Count, ["start"] = start, ["count"] = details.Count };
            return FortiEnvelope.Json(body);
        });

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
                if (Filter(arguments, out var error, requireCondition: true) is not { } chosen)
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
    private static SessionFilter? Filter(JsonObject arguments, out string? error, bool requireCondition)
    {
        error = null;
        (string Name, string Keyword)[] parameters =
            [("pro", "proto"), ("saddr", "src"), ("daddr", "dst"), ("sport", "sport"), ("dport", "dport"), ("policyid", "policy")];
        if (arguments.Select(a => a.Key).FirstOrDefault(k => k is not ("vdom" or "access_token") && (requireCondition || k is not ("start" or "count"))
                && parameters.All(p => p.Name != k)) is { } unknown)
        {
            error = $"{unknown}: not a filter this gateway applies (it filters on pro, saddr, daddr, sport, dport and policyid)";
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

        if (filter.IsEmpty && requireCondition)
        {
            error = "close-multiple needs at least one of pro, saddr, daddr, sport, dport, policyid (close-all closes every session)";
            return null;
        }

        return filter;
    }

    private static string Expected(string name) => name switch
    {
        "pro" => "a protocol (icmp, tcp, udp or a number 0-255)",
        "saddr" or "daddr" => "an IPv4 address",
        "policyid" => "a policy id (0-2147483647)",
        _ => "a port (0-65535)",
    };

    /// <summary><c>start</c> (default 0) and <c>count</c> (default 20, at most 1000), or why not.</summary>
    private static bool TryPage(JsonObject arguments, out int start, out int count, out string? error)
    {
        start = 0;
        count = DefaultCount;
        error = null;
        if (arguments["start"] is JsonValue startValue && !(int.TryParse(startValue.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out start)))
        {
            error = $"start: '{startValue}' is not a number from 0";
            return false;
        }

        if (arguments["count"] is JsonValue countValue
            && !(int.TryParse(countValue.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is >= 1 and <= MaxCount))
        {
            error = $"count: '{countValue}' is not a number from 1 to {MaxCount}";
            return false;
        }

        return true;
    }

    /// <summary>One session as the REST monitor gives it: the fields FortiOS uses that the kernel's entry holds.</summary>
    private static JsonObject Describe(ConnectionEntry session)
    {
        var (sourcePort, destinationPort, replySourcePort, replyDestinationPort) = SessionReport.Ports(session);
        var (sourceNat, destinationNat) = SessionReport.Translations(session, sourcePort, destinationPort, replySourcePort, replyDestinationPort);
        var item = new JsonObject
        {
            ["proto"] = SessionReport.ProtocolName(session.Protocol),
            ["saddr"] = Ipv4Range.Text(session.Source),
            ["sport"] = sourcePort,
            ["daddr"] = Ipv4Range.Text(session.Destination),
            ["dport"] = destinationPort,
            ["vdom"] = "root",
            ["serial"] = session.Id.ToString("x8", CultureInfo.InvariantCulture),
        };
        if (sourceNat)
        {
            item["snaddr"] = Ipv4Range.Text(session.ReplyDestination);
            item["snport"] = replyDestinationPort;
        }

        if (destinationNat)
        {
            item["dnaddr"] = Ipv4Range.Text(session.ReplySource);
            item["dnport"] = replySourcePort;
        }

        if (session.PolicyId is { } policy)
        {
            item["policyid"] = policy;
        }

        if (session.ExpiresInSeconds is { } expiry)
        {
            item["expiry"] = expiry;
        }

        if (session.OriginalCounters is { } sent && session.ReplyCounters is { } received)
        {
            item["sentbyte"] = sent.Bytes;
            item["sentpkt"] = sent.Packets;
            item["rcvdbyte"] = received.Bytes;
            item["rcvdpkt"] = received.Packets;
        }

        return item;
    }

    private static IResult Refused(HttpContext context, string action, int status, int code, string message)
    {
        var error = FortiEnvelope.Error(context, Path, Name, status, code, message);
        error["action"] = action;
        return FortiEnvelope.Json(error);
    }
}
