using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace SharpSwan.Web.Gui;

/// <summary>The stylesheet and script, compiled into the assembly and served by the gateway (no CDN, works offline).</summary>
internal static class StaticAssets
{
    private static readonly FrozenDictionary<string, (byte[] Content, string Type)> Assets = Load();

    public static IResult Serve(string file) =>
        Assets.TryGetValue(file, out var asset)
            ? Results.Bytes(asset.Content, asset.Type)
            : Results.NotFound();

    public static IEnumerable<string> Names => Assets.Keys;

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        const string Prefix = "SharpSwan.Web.Assets.";
        var assembly = typeof(StaticAssets).Assembly;
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var name = resource[Prefix.Length..];
            var type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            assets[name] = (copy.ToArray(), type);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
