using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SharpSwan.Web.Cmdb;
using SharpSwan.Web.Security;

namespace SharpSwan.Web.Api;

/// <summary><c>/api/v2/cmdb/&lt;path&gt;/&lt;name&gt;[/&lt;mkey&gt;]</c>: GET, POST, PUT, DELETE on the served tables.</summary>
internal static class CmdbEndpoints
{
    public static void Map(RouteGroupBuilder api, CmdbService cmdb)
    {
        api.MapGet("/cmdb/{path}/{name}", (HttpContext context, string path, string name) =>
            WithTable(context, path, name, table => List(context, cmdb, table)));

        api.MapGet("/cmdb/{path}/{name}/{mkey}", (HttpContext context, string path, string name, string mkey) =>
            WithTable(context, path, name, table => Get(context, cmdb, table, mkey)));

        api.MapPost("/cmdb/{path}/{name}", async (HttpContext context, string path, string name) =>
            await WithTableAsync(context, path, name, async table =>
            {
                var (body, bad) = await ReadBody(context, table);
                return body is null ? bad! : Respond(context, table, await cmdb.CreateAsync(table, body, ChangeAuthors.Of(context), context.RequestAborted));
            }));

        api.MapPut("/cmdb/{path}/{name}/{mkey}", async (HttpContext context, string path, string name, string mkey) =>
            await WithTableAsync(context, path, name, async table =>
            {
                var (body, bad) = await ReadBody(context, table);
                return body is null ? bad! : Respond(context, table, await cmdb.UpdateAsync(table, mkey, body, ChangeAuthors.Of(context), context.RequestAborted));
            }));

        api.MapDelete("/cmdb/{path}/{name}/{mkey}", async (HttpContext context, string path, string name, string mkey) =>
            await WithTableAsync(context, path, name, async table => Respond(context, table, await cmdb.DeleteAsync(table, mkey, ChangeAuthors.Of(context), context.RequestAborted))));
    }

    private static IResult List(HttpContext context, CmdbService cmdb, CmdbTable table)
    {
        var rows = cmdb.List(table);
        var fields = Format(context);
        var results = new JsonArray([.. rows.Select(r => (JsonNode)Select(r, fields))]);
        var body = FortiEnvelope.Create(context, table.ApiPath, table.ApiName, 200);
        body["results"] = results;
        body["size"] = rows.Count;
        body["matched_count"] = rows.Count;
        body["revision"] = ConfigRevision.Of(cmdb.Current);
        return FortiEnvelope.Json(body);
    }

    private static IResult Get(HttpContext context, CmdbService cmdb, CmdbTable table, string mkey)
    {
        if (cmdb.Get(table, mkey) is not { } row)
        {
            var missing = FortiEnvelope.Error(context, table.ApiPath, table.ApiName, 404, -3, $"entry not found: {table.ApiName} {mkey}");
            missing["mkey"] = mkey;
            return FortiEnvelope.Json(missing);
        }

        var body = FortiEnvelope.Create(context, table.ApiPath, table.ApiName, 200);
        body["results"] = new JsonArray(Select(row, Format(context)));
        body["mkey"] = mkey;
        body["revision"] = ConfigRevision.Of(cmdb.Current);
        return FortiEnvelope.Json(body);
    }

    private static IResult Respond(HttpContext context, CmdbTable table, EditResult result)
    {
        if (!result.Succeeded)
        {
            return FortiEnvelope.Json(FortiEnvelope.EditError(context, table, result));
        }

        var body = FortiEnvelope.Create(context, table.ApiPath, table.ApiName, 200);
        body["mkey"] = table.Numbered && long.TryParse(result.MKey, out var id) ? id : result.MKey;
        body["revision"] = result.NewRevision;
        body["old_revision"] = result.OldRevision;
        body["revision_changed"] = result.NewRevision != result.OldRevision;
        if (result.Warnings.Count > 0)
        {
            // Not a FortiOS field: SharpSwan saved the change, but part of it is kept and not applied; say which.
            body["warnings"] = new JsonArray([.. result.Warnings.Select(w => (JsonNode)new JsonObject
            {
                ["path"] = w.Path,
                ["mkey"] = w.Row,
                ["field"] = w.Field,
                ["message"] = w.Message,
            })]);
        }

        return FortiEnvelope.Json(body);
    }

    /// <summary>FortiOS's <c>?format=name|keepalive</c>: only these fields.</summary>
    private static HashSet<string>? Format(HttpContext context) =>
        context.Request.Query["format"].ToString() is { Length: > 0 } format
            ? new HashSet<string>(format.Split('|', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal)
            : null;

    private static JsonObject Select(JsonObject row, HashSet<string>? fields)
    {
        if (fields is null)
        {
            return row;
        }

        var selected = new JsonObject();
        foreach (var (field, value) in row)
        {
            if (fields.Contains(field) || field == "q_origin_key")
            {
                selected[field] = value?.DeepClone();
            }
        }

        return selected;
    }

    private static async Task<(JsonObject? Body, IResult? Bad)> ReadBody(HttpContext context, CmdbTable table)
    {
        try
        {
            var node = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (node is JsonObject body && JsonBody.IsReadable(body))
            {
                return (body, null);
            }
        }
        catch (JsonException)
        {
            // Reported below, like any other body that is not one JSON object.
        }

        return (null, FortiEnvelope.Json(FortiEnvelope.Error(context, table.ApiPath, table.ApiName, 400, -1, "the request body must be one JSON object")));
    }

    private static IResult WithTable(HttpContext context, string path, string name, Func<CmdbTable, IResult> handle) =>
        CmdbTable.Find(path, name) is { } table ? handle(table) : UnknownTable(context, path, name);

    private static async Task<IResult> WithTableAsync(HttpContext context, string path, string name, Func<CmdbTable, Task<IResult>> handle) =>
        CmdbTable.Find(path, name) is { } table ? await handle(table) : UnknownTable(context, path, name);

    private static IResult UnknownTable(HttpContext context, string path, string name) =>
        FortiEnvelope.Json(FortiEnvelope.Error(
            context,
            path,
            name,
            404,
            -3,
            $"SharpSwan serves {string.Join(", ", CmdbTable.All.Select(t => $"cmdb/{t.ApiPath}/{t.ApiName}"))}"));
}
