using System.CommandLine;
using System.Text;
using SharpSwan.Config;
using SharpSwan.Config.Import;

namespace SharpSwan.Commands;

/// <summary>
/// `sharpswan import FILE [--out FILE] [--force]`: takes over a FortiGate backup, writes the SharpSwan configuration
/// (0600, secrets encrypted) when a tunnel could be taken over, and prints what was taken over, converted, kept, refused, and which secrets to set again.
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("file") { Description = "FortiGate configuration: a backup .conf or show full-configuration output" };
        var output = new Option<FileInfo?>("--out") { Description = "where to write the SharpSwan configuration (default: FILE with .sharpswan.conf)" };
        var force = new Option<bool>("--force") { Description = "overwrite --out when it exists" };
        var command = new Command("import", "take over a FortiGate configuration and report what was taken, kept and refused") { input, output, force };
        command.SetAction(parse =>
        {
            var source = parse.GetValue(input)!;
            var target = parse.GetValue(output) ?? new FileInfo(Path.ChangeExtension(source.FullName, ".sharpswan.conf"));
            return Run(source, target, parse.GetValue(force), Console.Out, Console.Error);
        });
        return command;
    }

    public static int Run(FileInfo source, FileInfo target, bool force, TextWriter report, TextWriter errors)
    {
        string text;
        try
        {
            text = File.ReadAllText(source.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"{source.FullName}: cannot read: {e.Message}");
            return 1;
        }

        if (target.Exists && !force)
        {
            errors.WriteLine($"{target.FullName} exists; choose another --out or add --force");
            return 1;
        }

        ImportResult result;
        try
        {
            result = FortiGateImporter.Import(text, source.Name, SecretKeyring.ForConfigurationFile(target.FullName));
            if (result.Text is { } configuration && !result.Tunnels.IsEmpty)
            {
                Write(target.FullName, $"#config-version=SharpSwan:imported-from={source.Name}\n" + configuration);
            }
        }
        catch (IOException e)
        {
            errors.WriteLine($"{target.FullName}: cannot write: {e.Message}");
            return 1;
        }

        PrintReport(result, source, target, report);
        return result.Text is null || result.Tunnels.IsEmpty ? 1 : result.Secrets.IsEmpty ? 0 : 2;
    }

    private static void PrintReport(ImportResult result, FileInfo source, FileInfo target, TextWriter report)
    {
        report.WriteLine($"import {source.Name}:");
        Section(report, "tunnels taken over", result.Tunnels.Select(t => $"phase1 \"{t}\""));
        Section(report, "settings converted", result.Converted.Select(w => $"line {w.Line}: {w.Message}"));
        Section(report, "kept as they are but not acted on", result.Kept.Select(w => $"line {w.Line}: {w.Message}"));
        Section(report, "refused", result.Refused.Select(r => $"{r.What}: {r.Reason}"));
        Section(report, "weak algorithms (negotiated for old peers; move them to current ones)", result.Weak.Select(w => $"line {w.Line}: {w.Message}"));
        Section(report, "secrets to set again (encrypted by the FortiGate with its own key)", result.Secrets.Select(s => s.Commands));
        if (result.Text is null || result.Tunnels.IsEmpty)
        {
            report.WriteLine("no tunnel could be taken over; no configuration written");
            return;
        }

        report.WriteLine($"written: {target.FullName}");
        report.WriteLine(result.Secrets.IsEmpty
            ? $"next: ./sharpswan check --config {target.Name}"
            : $"next: set the secrets above (edit {target.Name}, or with ./sharpswan cli once running), then ./sharpswan check --config {target.Name}");
    }

    private static void Section(TextWriter report, string title, IEnumerable<string> lines)
    {
        var list = lines.ToList();
        report.WriteLine($"{title}: {(list.Count == 0 ? "none" : list.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))}");
        foreach (var line in list)
        {
            report.WriteLine($"  {line}");
        }
    }

    /// <summary>The configuration holds secrets (encrypted, and kept tables' ones too): owner-only from the start.</summary>
    private static void Write(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(new UTF8Encoding(false).GetBytes(text));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
