using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SharpSwan.Web.Cmdb;

namespace SharpSwan.Web.Api;

/// <summary>FortiOS REST response envelopes: <c>http_method</c>, <c>status</c>, <c>http_status</c>, <c>vdom</c>, <c>path</c>, <c>name</c>...</summary>
internal static class FortiEnvelope
{
    public const string Vdom = "root";
    public const string Serial = "SHARPSWAN";

    /// <summary>Clients pick API shapes by version; we serve the FortiOS 7.x shapes.</summary>
    public const string Version = "v7.2.0";

    public static JsonObject Create(HttpContext context, string path, string name, int httpStatus) =>
        Create(context.Request.Method, path, name, httpStatus);

    /// <summary>The envelope of an answer to <paramref name="method"/> (the CLI's <c>--json</c> answers as a GET would be).</summary>
    public static JsonObject Create(string method, string path, string name, int httpStatus)
    {
        var body = new JsonObject
        {
            ["http_method"] = method,
            ["vdom"] = Vdom,
            ["path"] = path,
            ["name"] = name,
            ["status"] = httpStatus == 200 ? "success" : "error",
            ["http_status"] = httpStatus,
            ["serial"] = Serial,
            ["version"] = Version,
            ["build"] = 0,
        };
        return body;
    }

    public static JsonObject Error(HttpContext context, string path, string name, int httpStatus, int returnCode, string message)
    {
        var body = Create(context, path, name, httpStatus);
        body["error"] = returnCode;
        body["message"] = message;
        return body;
    }

    /// <summary>A refused change: FortiOS's return code and CLI text, plus each error placed on its field.</summary>
    public static JsonObject EditError(HttpContext context, CmdbTable table, EditResult result)
    {
        var status = result.Status switch
        {
            EditStatus.NotFound => 404,
            EditStatus.Invalid when result.ReturnCode is -56 or -3 => 424,
            _ => 500,
        };
        var body = Error(context, table.ApiPath, table.ApiName, status, result.ReturnCode, result.Message);
        if (result.MKey is not null)
        {
            body["mkey"] = result.MKey;
        }

        if (result.OldRevision is not null)
        {
            body["revision"] = result.OldRevision;
        }

        if (result.Errors.Count > 0)
        {
            body["cli_error"] = string.Join('\n', result.Errors.Select(e => e.CliText));
            var errors = new JsonArray();
            foreach (var error in result.Errors)
            {
                errors.Add(new JsonObject
                {
                    ["path"] = error.Path,
                    ["mkey"] = error.Row,
                    ["field"] = error.Field,
                    ["message"] = error.Message,
                    ["reason"] = error.Reason,
                    ["error"] = error.ReturnCode,
                });
            }

            body["errors"] = errors;
        }

        return body;
    }

    public static IResult Json(JsonObject body) =>
        Results.Text(body.ToJsonString(), "application/json", statusCode: body["http_status"]!.GetValue<int>());
}
