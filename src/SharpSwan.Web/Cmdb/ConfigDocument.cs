using System.Text;
using SharpSwan.Config;

namespace SharpSwan.Web.Cmdb;

/// <summary>
/// The configuration as editable CLI text: blocks, rows and <c>set</c> lines. REST and GUI changes are made here and
/// the result is read back by <see cref="ConfigurationLoader"/>, so they get exactly the file's validation and wording.
/// </summary>
internal sealed class ConfigDocument
{
    public const string GlobalPath = "system global";

    public List<ConfigBlock> Blocks { get; } = [];

    /// <summary>The running configuration as <c>show</c> (or <c>show full-configuration</c>) prints it.</summary>
    public static ConfigDocument From(GatewayConfiguration configuration, bool fullConfiguration = false) =>
        Parse(ConfigurationWriter.Write(configuration, fullConfiguration));

    /// <summary>Reads what <see cref="ConfigurationWriter"/> prints (one command per logical line).</summary>
    public static ConfigDocument Parse(string text)
    {
        var document = new ConfigDocument();
        ConfigBlock? block = null;
        ConfigRow? row = null;
        foreach (var line in LogicalLines(text))
        {
            var trimmed = line.Trim(' ', '\t');
            var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
            var verb = space < 0 ? trimmed : trimmed[..space];
            var rest = space < 0 ? "" : trimmed[(space + 1)..];
            switch (verb)
            {
                case "config":
                    block = document.Block(rest);
                    row = block.IsObject ? block.Rows.FirstOrDefault() ?? block.Add("") : null;
                    break;
                case "edit" when block is not null:
                    var name = CliToken.Split(rest).FirstOrDefault().Text ?? "";
                    row = block.Find(name) ?? block.Add(name);
                    break;
                case "set" when row is not null:
                    var fieldEnd = rest.IndexOf(' ', StringComparison.Ordinal);
                    if (fieldEnd > 0)
                    {
                        row.Set(rest[..fieldEnd], rest[(fieldEnd + 1)..]);
                    }

                    break;
                case "next":
                    row = block is { IsObject: true } ? row : null;
                    break;
                case "end":
                    block = null;
                    row = null;
                    break;
            }
        }

        return document;
    }

    public ConfigBlock? Find(string path) => Blocks.FirstOrDefault(b => b.Path == path);

    /// <summary>The block for <paramref name="path"/>, added (empty) when the configuration has none yet.</summary>
    public ConfigBlock Block(string path)
    {
        if (Find(path) is { } existing)
        {
            return existing;
        }

        var block = new ConfigBlock(path, path == GlobalPath);
        Blocks.Add(block);
        return block;
    }

    /// <summary>The CLI text, and for each line (index = line number - 1) what produced it, to place errors on fields.</summary>
    public (string Text, IReadOnlyList<LineOrigin?> Origins) Render()
    {
        var text = new StringBuilder();
        var origins = new List<LineOrigin?>();

        void Line(string content, LineOrigin? origin)
        {
            text.Append(content).Append('\n');
            var physicalLines = content.Count(c => c == '\n') + 1;
            for (var i = 0; i < physicalLines; i++)
            {
                origins.Add(origin);
            }
        }

        foreach (var block in Blocks.Where(b => b.Rows.Count > 0))
        {
            Line($"config {block.Path}", new LineOrigin(block.Path, null, null));
            foreach (var row in block.Rows)
            {
                var rowName = block.IsObject ? null : row.Name;
                if (!block.IsObject)
                {
                    Line($"    edit {row.EditToken}", new LineOrigin(block.Path, rowName, null));
                }

                foreach (var (field, raw) in row.Settings)
                {
                    Line($"        set {field} {raw}", new LineOrigin(block.Path, rowName, field));
                }

                if (!block.IsObject)
                {
                    Line("    next", new LineOrigin(block.Path, rowName, null));
                }
            }

            Line("end", new LineOrigin(block.Path, null, null));
        }

        return (text.ToString(), origins);
    }

    /// <summary>Commands end at a newline that is neither escaped nor inside quotes (the writer escapes multi-line strings).</summary>
    private static IEnumerable<string> LogicalLines(string text)
    {
        var current = new StringBuilder();
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                current.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }

            if (quote is { } open)
            {
                quote = c == open ? null : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '\n')
            {
                yield return current.ToString();
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }
}
