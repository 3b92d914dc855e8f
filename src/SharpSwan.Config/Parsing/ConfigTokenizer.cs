using System.Collections.Immutable;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// Splits FortiOS CLI text into command lines of words.
/// </summary>
/// <remarks>
/// Rules (fortios.md §3): words are separated by spaces or tabs; "..." and '...' quote a string;
/// a backslash escapes the next character (including a space or a quote); a backslash at the end
/// of a line continues the command on the next line (inside quotes the line break is kept, so
/// multi-line strings can be written); a line whose first non-blank character is <c>#</c> is a
/// comment. A quoted string may also span lines without backslashes, as FortiOS prints PEM
/// certificates, provided its closing quote ends the command line. Otherwise the quote is
/// unmatched: the line is reported and dropped, and tokenizing resumes on the next line.
/// </remarks>
internal static class ConfigTokenizer
{
    public static List<ImmutableArray<ConfigToken>> Tokenize(string text, DiagnosticBag diagnostics)
    {
        var cursor = new Cursor(text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF'));
        var lines = new List<ImmutableArray<ConfigToken>>();
        while (!cursor.AtEnd)
        {
            var tokens = ReadCommandLine(cursor, diagnostics);
            if (tokens is { Length: > 0 })
            {
                lines.Add(tokens.Value);
            }
        }

        return lines;
    }

    /// <summary>Reads one command (up to an unescaped newline); null when the line had a quoting error.</summary>
    private static ImmutableArray<ConfigToken>? ReadCommandLine(Cursor cursor, DiagnosticBag diagnostics)
    {
        cursor.SkipBlanks();
        if (cursor.Current == '#')
        {
            cursor.SkipRestOfLine();
            return [];
        }

        var tokens = ImmutableArray.CreateBuilder<ConfigToken>();
        while (true)
        {
            cursor.SkipBlanks();
            if (cursor.AtEnd)
            {
                break;
            }

            if (cursor.Current == '\n')
            {
                cursor.Advance();
                break;
            }

            if (cursor.Current == '\\' && cursor.Next == '\n')
            {
                cursor.Advance(2);
                continue;
            }

            if (!TryReadWord(cursor, diagnostics, out var token))
            {
                cursor.SkipRestOfLine();
                return null;
            }

            tokens.Add(token);
        }

        return tokens.ToImmutable();
    }

    private static bool TryReadWord(Cursor cursor, DiagnosticBag diagnostics, out ConfigToken token)
    {
        var line = cursor.Line;
        var column = cursor.Column;
        var text = new StringBuilder();
        var quoted = false;
        while (!cursor.AtEnd && !IsBlank(cursor.Current) && cursor.Current != '\n')
        {
            var c = cursor.Current;
            if (c == '\\')
            {
                // Outside quotes an escaped newline joins the next line onto this word.
                if (cursor.Next is { } escaped && escaped != '\n')
                {
                    text.Append(escaped);
                }

                cursor.Advance(cursor.Next is null ? 1 : 2);
            }
            else if (c is '"' or '\'')
            {
                quoted = true;
                if (!TryReadQuoted(cursor, text, diagnostics))
                {
                    token = default;
                    return false;
                }
            }
            else
            {
                text.Append(c);
                cursor.Advance();
            }
        }

        token = new ConfigToken(text.ToString(), line, column, quoted);
        return true;
    }

    private static bool TryReadQuoted(Cursor cursor, StringBuilder text, DiagnosticBag diagnostics)
    {
        var quote = cursor.Current;
        var line = cursor.Line;
        var column = cursor.Column;
        cursor.Advance();

        // Where the first raw line break was met: a string that turns out not to be a multi-line value rewinds here.
        Cursor.Position? firstBreak = null;
        var lengthAtBreak = 0;
        while (!cursor.AtEnd)
        {
            var c = cursor.Current;
            if (c == quote)
            {
                cursor.Advance();
                if (firstBreak is null || cursor.RestOfLineIsBlank())
                {
                    return true;
                }

                break;
            }

            if (c == '\\' && cursor.Next is { } escaped)
            {
                text.Append(escaped);
                cursor.Advance(2);
                continue;
            }

            if (c == '\n' && firstBreak is null)
            {
                firstBreak = cursor.Save();
                lengthAtBreak = text.Length;
            }

            text.Append(c);
            cursor.Advance();
        }

        if (firstBreak is { } position)
        {
            cursor.Restore(position);
            text.Length = lengthAtBreak;
        }

        var kind = quote == '"' ? "double" : "single";
        diagnostics.Add(
            line,
            column,
            $"token line: Unmatched {kind} quote.",
            $"the {kind} quote at column {column} is not closed on this line");
        return false;
    }

    private static bool IsBlank(char c) => c is ' ' or '\t' or '\r';

    /// <summary>Position in the text with 1-based line and column.</summary>
    private sealed class Cursor(string text)
    {
        public readonly record struct Position(int Offset, int Line, int Column);

        private int _position;

        public int Line { get; private set; } = 1;

        public int Column { get; private set; } = 1;

        public bool AtEnd => _position >= text.Length;

        public char Current => AtEnd ? '\0' : text[_position];

        public char? Next => _position + 1 < text.Length ? text[_position + 1] : null;

        public void Advance(int count = 1)
        {
            for (var i = 0; i < count && !AtEnd; i++)
            {
                if (text[_position] == '\n')
                {
                    Line++;
                    Column = 1;
                }
                else
                {
                    Column++;
                }

                _position++;
            }
        }

        public Position Save() => new(_position, Line, Column);

        public void Restore(Position position) => (_position, Line, Column) = (position.Offset, position.Line, position.Column);

        /// <summary>True when only blanks (or an escaped line break) follow on this line.</summary>
        public bool RestOfLineIsBlank()
        {
            var i = _position;
            while (i < text.Length && IsBlank(text[i]))
            {
                i++;
            }

            return i >= text.Length || text[i] == '\n' || (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == '\n');
        }

        public void SkipBlanks()
        {
            while (!AtEnd && IsBlank(Current))
            {
                Advance();
            }
        }

        public void SkipRestOfLine()
        {
            while (!AtEnd && Current != '\n')
            {
                Advance();
            }

            Advance();
        }
    }
}
