using System.Text.Json.Nodes;

namespace SharpSwan.Web.Api;

/// <summary>
/// JsonNode reads strings and property names lazily: invalid UTF-8 or a lone surrogate escape (<c>"\ud800"</c>) in a
/// body passes <see cref="JsonNode.Parse(string, JsonNodeOptions?, System.Text.Json.JsonDocumentOptions)"/> and only
/// throws <see cref="InvalidOperationException"/> when the value is read. A body is checked whole before it is used,
/// or a property named twice (an <see cref="ArgumentException"/> when the object is enumerated) in a body passes Parse too,
/// so such input is a 400 like any other malformed body, never an error deep in the edit (found by fuzz target rest).
/// </summary>
internal static class JsonBody
{
    public static bool IsReadable(JsonNode? node)
    {
        try
        {
            return Walk(node);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // ArgumentException: a property name given twice (found by fuzz target rest).
            return false;
        }
    }

    private static bool Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    _ = name.Length;
                    if (!Walk(value))
                    {
                        return false;
                    }
                }

                return true;
            case JsonArray array:
                return array.All(Walk);
            case JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String:
                _ = value.GetValue<string>();
                return true;
            default:
                return true;
        }
    }
}
