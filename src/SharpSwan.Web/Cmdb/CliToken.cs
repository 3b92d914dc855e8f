namespace SharpSwan.Web.Cmdb;

/// <summary>One word of a CLI value: its text without quotes or escapes, and whether it was written quoted.</summary>
internal readonly record struct CliToken(string Text, bool Quoted)
{
    /// <summary>Splits a <c>set</c> line's values as the CLI tokenizer does: spaces separate, quotes group, backslash escapes.</summary>
    public static List<CliToken> Split(string raw)
    {
        var tokens = new List<CliToken>();
        var i = 0;
        while (i < raw.Length)
        {
            while (i < raw.Length && raw[i] is ' ' or '\t')
            {
                i++;
            }

            if (i >= raw.Length)
            {
                break;
            }

            var text = new System.Text.StringBuilder();
            var quoted = false;
            while (i < raw.Length && raw[i] is not (' ' or '\t'))
            {
                var c = raw[i];
                if (c is '"' or '\'')
                {
                    quoted = true;
                    i++;
                    while (i < raw.Length && raw[i] != c)
                    {
                        if (raw[i] == '\\' && i + 1 < raw.Length)
                        {
                            i++;
                        }

                        text.Append(raw[i]);
                        i++;
                    }

                    i++;
                }
                else if (c == '\\' && i + 1 < raw.Length)
                {
                    text.Append(raw[i + 1]);
                    i += 2;
                }
                else
                {
                    text.Append(c);
                    i++;
                }
            }

            tokens.Add(new CliToken(text.ToString(), quoted));
        }

        return tokens;
    }
}
