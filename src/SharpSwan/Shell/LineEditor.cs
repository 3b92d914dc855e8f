using System.Text;

namespace SharpSwan.Shell;

/// <summary>
/// Reads one command line from the keyboard with FortiOS-style editing: left/right, Home/End (Ctrl-A/Ctrl-E),
/// Backspace/Delete, Ctrl-U/Ctrl-K, history on up/down, Tab completion and <c>?</c> help. Redraws the line with ANSI
/// sequences (carriage return, erase to end of line, cursor left).
/// </summary>
public sealed class LineEditor(IKeySource keys, TextWriter screen)
{
    private const int HistoryLimit = 200;

    private readonly List<string> _history = [];

    public IReadOnlyList<string> History => _history;

    /// <summary>Adds a line to the history (not twice in a row).</summary>
    public void Remember(string line)
    {
        if (line.Length == 0 || (_history.Count > 0 && _history[^1] == line))
        {
            return;
        }

        _history.Add(line);
        if (_history.Count > HistoryLimit)
        {
            _history.RemoveAt(0);
        }
    }

    /// <summary>The line typed (Enter); an empty line after Ctrl-C; null on Ctrl-D at an empty line (leave the shell).</summary>
    public async Task<string?> ReadLineAsync(string prompt, ICommandAssistant assistant)
    {
        var line = new StringBuilder();
        var cursor = 0;
        var historyIndex = _history.Count;
        var draft = "";
        screen.Write(prompt);
        screen.Flush();
        while (true)
        {
            var key = keys.ReadKey();
            var control = key.Modifiers.HasFlag(ConsoleModifiers.Control);
            switch (key)
            {
                case { Key: ConsoleKey.Enter } or { KeyChar: '\r' or '\n' }:
                    screen.Write("\n");
                    screen.Flush();
                    return line.ToString();
                case { KeyChar: '\u0003' } or { Key: ConsoleKey.C } when control || key.KeyChar == '\u0003':
                    screen.Write("^C\n");
                    screen.Flush();
                    return "";
                case { KeyChar: '\u0004' } or { Key: ConsoleKey.D } when control || key.KeyChar == '\u0004':
                    if (line.Length == 0)
                    {
                        screen.Write("\n");
                        screen.Flush();
                        return null;
                    }

                    if (cursor < line.Length)
                    {
                        line.Remove(cursor, 1);
                    }

                    break;
                case { Key: ConsoleKey.LeftArrow } or { KeyChar: '\u0002' }:
                    cursor = Math.Max(0, cursor - 1);
                    break;
                case { Key: ConsoleKey.RightArrow } or { KeyChar: '\u0006' }:
                    cursor = Math.Min(line.Length, cursor + 1);
                    break;
                case { Key: ConsoleKey.Home } or { KeyChar: '\u0001' }:
                case { Key: ConsoleKey.A } when control:
                    cursor = 0;
                    break;
                case { Key: ConsoleKey.End } or { KeyChar: '\u0005' }:
                case { Key: ConsoleKey.E } when control:
                    cursor = line.Length;
                    break;
                case { Key: ConsoleKey.Backspace } or { KeyChar: '\b' or '\u007f' }:
                    if (cursor > 0)
                    {
                        line.Remove(--cursor, 1);
                    }

                    break;
                case { Key: ConsoleKey.Delete }:
                    if (cursor < line.Length)
                    {
                        line.Remove(cursor, 1);
                    }

                    break;
                case { KeyChar: '\u0015' }:
                case { Key: ConsoleKey.U } when control:
                    line.Remove(0, cursor);
                    cursor = 0;
                    break;
                case { KeyChar: '\u000b' }:
                case { Key: ConsoleKey.K } when control:
                    line.Remove(cursor, line.Length - cursor);
                    break;
                case { Key: ConsoleKey.UpArrow } or { KeyChar: '\u0010' }:
                    if (historyIndex > 0)
                    {
                        if (historyIndex == _history.Count)
                        {
                            draft = line.ToString();
                        }

                        historyIndex--;
                        line.Clear().Append(_history[historyIndex]);
                        cursor = line.Length;
                    }

                    break;
                case { Key: ConsoleKey.DownArrow } or { KeyChar: '\u000e' }:
                    if (historyIndex < _history.Count)
                    {
                        historyIndex++;
                        line.Clear().Append(historyIndex == _history.Count ? draft : _history[historyIndex]);
                        cursor = line.Length;
                    }

                    break;
                case { Key: ConsoleKey.Tab } or { KeyChar: '\t' }:
                    cursor = await CompleteAsync(line, cursor, assistant);
                    break;
                case { KeyChar: '?' } when !InsideQuotesOrEscaped(line, cursor):
                    var help = await assistant.HelpAsync(line.ToString(0, cursor));
                    screen.Write("?\n" + (help.Length == 0 ? "<no help>\n" : help));
                    break;
                default:
                    if (key.KeyChar >= ' ' && !char.IsControl(key.KeyChar))
                    {
                        line.Insert(cursor++, key.KeyChar);
                    }

                    break;
            }

            Redraw(prompt, line, cursor);
        }
    }

    /// <summary>Completes the word before the cursor: the whole word when unique, else the common part, else lists the choices.</summary>
    private async Task<int> CompleteAsync(StringBuilder line, int cursor, ICommandAssistant assistant)
    {
        var before = line.ToString(0, cursor);
        var candidates = await assistant.CompleteAsync(before);
        if (candidates.Count == 0)
        {
            return cursor;
        }

        var wordStart = WordStart(before);
        var partial = before[wordStart..].TrimStart('"', '\'');
        var common = candidates.Aggregate(CommonPrefix);
        string insert;
        if (candidates.Count == 1)
        {
            insert = Quote(candidates[0]) + " ";
        }
        else if (common.Length > partial.Length)
        {
            insert = common;
        }
        else
        {
            screen.Write("\n" + string.Join("  ", candidates) + "\n");
            return cursor;
        }

        line.Remove(wordStart, cursor - wordStart).Insert(wordStart, insert);
        return wordStart + insert.Length;
    }

    private void Redraw(string prompt, StringBuilder line, int cursor)
    {
        var text = new StringBuilder("\r").Append(prompt).Append(line).Append("\u001b[K");
        if (line.Length > cursor)
        {
            text.Append("\u001b[").Append(line.Length - cursor).Append('D');
        }

        screen.Write(text.ToString());
        screen.Flush();
    }

    private static int WordStart(string text)
    {
        var inQuote = '\0';
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                i++;
            }
            else if (inQuote != '\0')
            {
                inQuote = c == inQuote ? '\0' : inQuote;
            }
            else if (c is '"' or '\'')
            {
                inQuote = c;
            }
            else if (c is ' ' or '\t')
            {
                start = i + 1;
            }
        }

        return start;
    }

    private static bool InsideQuotesOrEscaped(StringBuilder line, int cursor)
    {
        var before = line.ToString(0, cursor);
        return before.EndsWith('\\') || before.Count(c => c == '"') % 2 == 1 || before.Count(c => c == '\'') % 2 == 1;
    }

    private static string Quote(string word) =>
        word.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\') ? "\"" + word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"" : word;

    private static string CommonPrefix(string a, string b)
    {
        var length = 0;
        while (length < a.Length && length < b.Length && a[length] == b[length])
        {
            length++;
        }

        return a[..length];
    }
}
