using System.Collections.Concurrent;
using System.Text;
using SharpSwan.Cli.Grammar;
using SharpSwan.Config.Editing;
using SharpSwan.Config;

namespace SharpSwan.Cli.Editing;

/// <summary>Tab completion and <c>?</c> help, from the same tables the editor checks against.</summary>
public sealed partial class ConfigEditor
{
    private const int HelpColumn = 24;

    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> DefaultsByTable = new(StringComparer.Ordinal);

    private static readonly Dictionary<string, string> CommandDescriptions = new(StringComparer.Ordinal)
    {
        ["config"] = "configure an object (enter a configuration table)",
        ["show"] = "show the configuration (non-default values; full-configuration: all)",
        ["get"] = "show a table or an entry, one field per line",
        ["edit"] = "add a new entry or edit an existing one",
        ["delete"] = "delete an entry",
        ["purge"] = "delete every entry of this table",
        ["rename"] = "rename an entry (references follow)",
        ["clone"] = "copy an entry under a new name",
        ["set"] = "set a field's value",
        ["unset"] = "set a field back to its default",
        ["append"] = "add values to the end of a list",
        ["select"] = "add values to a list (those not in it yet)",
        ["unselect"] = "remove values from a list",
        ["next"] = "close this entry (checked) and stay in the table",
        ["end"] = "save the changes: check them all and apply them to the running gateway",
        ["abort"] = "discard the changes (of this entry, or of the whole config block)",
        ["full-configuration"] = "every field, defaults included",
        ["to"] = "the new name follows",
        ["vpn"] = "VPN configuration",
        ["ipsec"] = "IPsec configuration",
        ["phase1-interface"] = "route-based IPsec phase 1: one tunnel interface each",
        ["phase2-interface"] = "phase 2 (selectors) of route-based tunnels",
        ["phase1"] = "policy-based IPsec phase 1",
        ["phase2"] = "phase 2 (selectors) of policy-based tunnels",
        ["router"] = "routing",
        ["static"] = "static routes",
        ["system"] = "system settings",
        ["global"] = "global settings: hostname, administration ports",
        ["interface"] = "interfaces: the tunnel addresses and MTU of phase1-interfaces (other interfaces are kept as written)",
        ["certificate"] = "certificates: the gateway's own (local) and trusted authorities (ca)",
        ["local"] = "the gateway's certificates and private keys",
        ["ca"] = "trusted certificate authorities",
        ["firewall"] = "firewall objects",
        ["address"] = "named networks (used by policies and ipv4-split-include)",
        ["addrgrp"] = "groups of named networks",
        ["policy"] = "firewall policies, matched top-down (policy-based VPNs: action ipsec)",
        ["move"] = "move an entry before or after another (policies are matched in this order)",
        ["before"] = "put the entry just before this one",
        ["after"] = "put the entry just after this one",
    };

    /// <summary>The words that may complete the last (partial) word of <paramref name="partialLine"/>.</summary>
    public IReadOnlyList<string> Complete(string partialLine)
    {
        ArgumentNullException.ThrowIfNull(partialLine);
        var (words, partial) = SplitPartial(partialLine);
        return [.. OptionsAfter(words)
            .Where(o => !o.IsPlaceholder && o.Word.StartsWith(partial, StringComparison.Ordinal))
            .Select(o => o.Word)
            .Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// FortiOS <c>?</c>: what may follow <paramref name="partialLine"/>, one per line with a description (and for fields
    /// the range and default). Empty when nothing can follow.
    /// </summary>
    public string Help(string partialLine)
    {
        ArgumentNullException.ThrowIfNull(partialLine);
        var (words, partial) = SplitPartial(partialLine);
        var options = OptionsAfter(words)
            .Where(o => o.IsPlaceholder ? partial.Length == 0 : o.Word.StartsWith(partial, StringComparison.Ordinal))
            .ToList();
        var text = new StringBuilder();
        foreach (var option in options)
        {
            var word = option.Word.Length >= HelpColumn ? option.Word + " " : option.Word.PadRight(HelpColumn);
            text.Append(word).Append(option.Description).Append('\n');
        }

        if (options.Count == 0 && words.Count > 0 && partial.Length == 0)
        {
            text.Append("<Enter>\n");
        }

        return text.ToString();
    }

    private static (List<string> Words, string Partial) SplitPartial(string line)
    {
        var (words, partial) = CliTokenizer.SplitPartial(line);
        return ([.. words], partial);
    }

    private IReadOnlyList<CommandNode> OptionsAfter(List<string> words) => CommandTree.OptionsAfter(CompletionLevel(), words);

    /// <summary>Whether <c>set <paramref name="field"/> <paramref name="value"/></c> in the open entry would be accepted now.</summary>
    private bool SetTakes(EditableDocument working, TableSchema table, string field, string value)
    {
        if (working.Find(table.Path, _entry ?? "") is not { } current)
        {
            return true;
        }

        var entry = current.Clone();
        entry.Set(field, [value]);
        return Refusals(working.Clone(), table, entry, field).Count == 0;
    }

    private List<CommandNode> PathOptions(IReadOnlyList<string> words, bool withEntries)
    {
        var prefix = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            if (SupportedTables.FindEditable(string.Join(" ", prefix)) is not null)
            {
                // The path and an entry name are complete: nothing more follows.
                return [];
            }

            if (Keyword.Expand(words[i], NextPathWords(prefix)) is not { } word)
            {
                return [];
            }

            prefix.Add(word);
        }

        if (SupportedTables.FindEditable(string.Join(" ", prefix)) is { } table)
        {
            return withEntries && table.Shape != TableShape.Object ? EntryNames(Working(InForce()), table) : [];
        }

        return [.. NextPathWords(prefix).Select(Describe)];
    }

    private static List<CommandNode> EntryNames(EditableDocument working, TableSchema table) =>
        table.Shape == TableShape.Object ? [] : [.. working.Entries(table.Path).Select(e => new CommandNode(e.Name, "existing entry"))];

    private static CommandNode Describe(string word) => new(word, CommandDescriptions.GetValueOrDefault(word, ""), []);

    private static List<CommandNode> FieldOptions(TableSchema table, bool listsOnly)
    {
        var defaults = Defaults(table);
        var options = new List<CommandNode>();
        foreach (var field in FieldHelpCatalog.FieldNames(table.Path))
        {
            var help = FieldHelpCatalog.Find(table.Path, field);
            if (listsOnly && !help.IsList)
            {
                continue;
            }

            options.Add(new CommandNode(field, help.Description + Qualifiers(help, defaults.GetValueOrDefault(field) ?? help.Default), []));
        }

        return options;
    }

    private List<CommandNode> ValueOptions(EditableDocument working, TableSchema table, string fieldWord, int valuesTyped)
    {
        if (Keyword.Expand(fieldWord, FieldHelpCatalog.FieldNames(table.Path)) is not { } field)
        {
            return [];
        }

        var help = FieldHelpCatalog.Find(table.Path, field);
        if (valuesTyped > 0 && !help.IsList && field is not ("src-subnet" or "dst-subnet" or "dst" or "psksecret"))
        {
            return [];
        }

        var defaultValue = Defaults(table).GetValueOrDefault(field) ?? help.Default;
        var now = working.Find(table.Path, _entry ?? "") is null ? [] : EffectiveValues(working, table, _entry ?? "", field);
        var current = now.IsDefaultOrEmpty || HidesCurrentValue(table.Path, field) ? "" : $", now: {string.Join(" ", now)}";
        if (ReferencedTable(table.Path, field) is { } target)
        {
            var kind = target == CertificateSchema.LocalPath ? "local certificate" : "firewall address";
            return [.. working.Entries(target).Select(e => new CommandNode(e.Name, $"existing {kind}")),
                new CommandNode("<name>", help.Description + (help.Range is null ? "" : $" ({help.Range}{current})"))];
        }

        if (field == "phase1name" || (table.Path == StaticRouteSchema.Path && field == "device"))
        {
            var phase1Path = table.Path == Phase2Schema.PolicyPath ? Phase1Schema.PolicyPath : Phase1Schema.InterfacePath;
            return [.. working.Entries(phase1Path).Select(e => new CommandNode(e.Name, "existing phase 1")),
                new CommandNode("<name>", help.Description + (help.Range is null ? "" : $" ({help.Range}{current})"))];
        }

        if (help.Choices is { Count: > 0 } choices)
        {
            // Tab and ? offer what set takes here: a FortiOS value SharpSwan refuses (type ddns, transport tcp) is answered
            // with its reason when typed, never suggested. Lists keep their common values (a probe per value would be slow).
            var offered = help.IsList ? choices : choices.Where(c => SetTakes(working, table, field, c));
            return [.. offered.Select(c => new CommandNode(c, c == defaultValue ? "(default)" : now.Contains(c) ? "(current)" : ""))];
        }

        var placeholder = help.Range is { } range && range.Length > 0 && char.IsAsciiDigit(range[0]) && range.Contains('-', StringComparison.Ordinal) && !range.Contains(' ', StringComparison.Ordinal)
            ? "<integer>"
            : help.Range is { } text && text.StartsWith("a.b.c.d", StringComparison.Ordinal) ? "<ipv4>" : "<string>";
        return [new CommandNode(placeholder, help.Description + Qualifiers(help, defaultValue) + (current.Length == 0 ? "" : $" [{current[2..]}]"), [])];
    }

    private static string Qualifiers(FieldHelp help, string? defaultValue)
    {
        var parts = new List<string>();
        if (help.Range is not null)
        {
            parts.Add(help.Range);
        }
        else if (help.Choices is { Count: > 0 } choices && !help.IsList)
        {
            parts.Add(string.Join("|", choices));
        }

        if (!string.IsNullOrEmpty(defaultValue))
        {
            parts.Add("default " + defaultValue);
        }

        return parts.Count == 0 ? "" : $" ({string.Join(", ", parts)})";
    }

    /// <summary>Default values as the model prints them in full for a fresh entry of the table.</summary>
    internal static IReadOnlyDictionary<string, string> Defaults(TableSchema table) => DefaultsByTable.GetOrAdd(table.Path, path =>
    {
        var configuration = path switch
        {
            Phase1Schema.InterfacePath or Phase1Schema.PolicyPath => GatewayConfiguration.Empty with
            {
                Phase1 = [new Phase1Settings { Name = "x", IsInterfaceMode = path == Phase1Schema.InterfacePath }],
            },
            Phase2Schema.InterfacePath or Phase2Schema.PolicyPath => GatewayConfiguration.Empty with
            {
                Phase2 = [new Phase2Settings { Name = "x", Phase1Name = "", IsInterfaceMode = path == Phase2Schema.InterfacePath }],
            },
            StaticRouteSchema.Path => GatewayConfiguration.Empty with
            {
                StaticRoutes = [new StaticRoute(1, Ipv4.Zero, 0, "", Ipv4.Zero, StaticRoute.DefaultDistance, true, 0)],
            },
            _ => GatewayConfiguration.Empty,
        };
        var document = EditableDocument.FromText(ConfigurationWriter.Write(configuration, fullConfiguration: true));
        var entry = table.Shape == TableShape.Object ? document.Entries(path)[0] : document.Entries(path).FirstOrDefault();
        return (entry?.Settings ?? [])
            .Where(s => s.Values is not [""])
            .ToDictionary(s => s.Field, s => string.Join(" ", s.Values), StringComparer.Ordinal);
    });
}
