using SharpSwan.Shell;

namespace SharpSwan.Tests.Shell;

/// <summary>The interactive line editor, driven by scripted keys: editing keys, history, Tab and <c>?</c>.</summary>
public sealed class LineEditorTests
{
    private static readonly ConsoleKeyInfo Enter = Key(ConsoleKey.Enter, '\r');
    private static readonly ConsoleKeyInfo Left = Key(ConsoleKey.LeftArrow);
    private static readonly ConsoleKeyInfo Right = Key(ConsoleKey.RightArrow);
    private static readonly ConsoleKeyInfo Home = Key(ConsoleKey.Home);
    private static readonly ConsoleKeyInfo End = Key(ConsoleKey.End);
    private static readonly ConsoleKeyInfo Backspace = Key(ConsoleKey.Backspace, '\u007f');
    private static readonly ConsoleKeyInfo Delete = Key(ConsoleKey.Delete);
    private static readonly ConsoleKeyInfo Up = Key(ConsoleKey.UpArrow);
    private static readonly ConsoleKeyInfo Down = Key(ConsoleKey.DownArrow);
    private static readonly ConsoleKeyInfo Tab = Key(ConsoleKey.Tab, '\t');

    [Fact]
    public async Task TypedText_IsReturnedOnEnter_AndThePromptIsShown()
    {
        var (line, screen) = await Read([.. Type("show"), Enter]);
        Assert.Equal("show", line);
        Assert.StartsWith("gw # ", screen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CursorKeys_InsertAndDeleteWhereTheCursorIs()
    {
        Assert.Equal("show", (await Read([.. Type("shw"), Left, .. Type("o"), Enter])).Line);
        Assert.Equal("xshow", (await Read([.. Type("show"), Home, .. Type("x"), Enter])).Line);
        Assert.Equal("xshowy", (await Read([.. Type("show"), Ctrl('a', ConsoleKey.A), .. Type("x"), Ctrl('e', ConsoleKey.E), .. Type("y"), Enter])).Line);
        Assert.Equal("sow", (await Read([.. Type("show"), Left, Left, Backspace, Enter])).Line);
        Assert.Equal("shw", (await Read([.. Type("show"), Home, Right, Right, Delete, Enter])).Line);
        Assert.Equal("ow", (await Read([.. Type("show"), Left, Left, Ctrl('u', ConsoleKey.U), Enter])).Line);
        Assert.Equal("sh", (await Read([.. Type("show"), Left, Left, Ctrl('k', ConsoleKey.K), End, Enter])).Line);
    }

    [Fact]
    public async Task History_UpAndDown_WalkThroughEarlierLines_AndBackToTheDraft()
    {
        var keys = new ScriptedKeys([.. Type("first"), Enter, .. Type("second"), Enter, .. Type("dra"), Up, Up, Down, Down, Enter, Up, Up, Up, Enter]);
        var editor = new LineEditor(keys, new StringWriter());
        var assistant = new FixedAssistant([], "");
        editor.Remember((await editor.ReadLineAsync("gw # ", assistant))!);
        editor.Remember((await editor.ReadLineAsync("gw # ", assistant))!);
        Assert.Equal("dra", await editor.ReadLineAsync("gw # ", assistant));
        Assert.Equal("first", await editor.ReadLineAsync("gw # ", assistant));
        Assert.Equal(["first", "second"], editor.History);
    }

    [Fact]
    public async Task Tab_CompletesAUniqueWordWithASpace()
    {
        var assistant = new FixedAssistant(["phase1-interface"], "");
        var (line, _) = await Read([.. Type("config vpn ipsec phase1-i"), Tab, Enter], assistant);
        Assert.Equal("config vpn ipsec phase1-interface ", line);
        Assert.Equal("config vpn ipsec phase1-i", assistant.LastPartial);
    }

    [Fact]
    public async Task Tab_ExtendsToTheCommonPart_ThenListsTheChoices()
    {
        var assistant = new FixedAssistant(["phase1-interface", "phase1"], "");
        var (line, screen) = await Read([.. Type("config vpn ipsec ph"), Tab, Tab, Enter], assistant);
        Assert.Equal("config vpn ipsec phase1", line);
        Assert.Contains("\nphase1-interface  phase1\n", screen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tab_QuotesNamesWithSpaces()
    {
        var (line, _) = await Read([.. Type("edit my"), Tab, Enter], new FixedAssistant(["my tunnel"], ""));
        Assert.Equal("edit \"my tunnel\" ", line);
    }

    [Fact]
    public async Task QuestionMark_ShowsHelp_AndKeepsTheLine()
    {
        var assistant = new FixedAssistant([], "keylife                 phase 1 lifetime (120-172800, default 86400)\n");
        var (line, screen) = await Read([.. Type("set key?"), .. Type("life 3600"), Enter], assistant);
        Assert.Equal("set keylife 3600", line);
        Assert.Equal("set key", assistant.LastPartial);
        Assert.Contains("?\nkeylife                 phase 1 lifetime (120-172800, default 86400)\n", screen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuestionMark_InsideQuotes_IsJustACharacter()
    {
        var (line, _) = await Read([.. Type("set comments \"why?\""), Enter]);
        Assert.Equal("set comments \"why?\"", line);
    }

    [Fact]
    public async Task CtrlC_AbandonsTheLine_CtrlD_OnAnEmptyLineLeaves()
    {
        Assert.Equal("", (await Read([.. Type("config"), Ctrl('c', ConsoleKey.C)])).Line);
        Assert.Null((await Read([Ctrl('d', ConsoleKey.D)])).Line);
    }

    private static async Task<(string? Line, string Screen)> Read(ConsoleKeyInfo[] keys, FixedAssistant? assistant = null)
    {
        var screen = new StringWriter();
        var editor = new LineEditor(new ScriptedKeys(keys), screen);
        var line = await editor.ReadLineAsync("gw # ", assistant ?? new FixedAssistant([], ""));
        return (line, screen.ToString());
    }

    private static IEnumerable<ConsoleKeyInfo> Type(string text) =>
        text.Select(c => new ConsoleKeyInfo(c, char.IsAsciiLetter(c) ? Enum.Parse<ConsoleKey>(char.ToUpperInvariant(c).ToString()) : ConsoleKey.Oem1, false, false, false));

    private static ConsoleKeyInfo Key(ConsoleKey key, char character = '\0') => new(character, key, false, false, false);

    private static ConsoleKeyInfo Ctrl(char letter, ConsoleKey key) => new((char)(letter - 'a' + 1), key, false, false, true);

    private sealed class ScriptedKeys(IEnumerable<ConsoleKeyInfo> keys) : IKeySource
    {
        private readonly Queue<ConsoleKeyInfo> _keys = new(keys);

        public bool KeyAvailable => _keys.Count > 0;

        public ConsoleKeyInfo ReadKey() => _keys.Dequeue();
    }

    private sealed class FixedAssistant(IReadOnlyList<string> completions, string help) : ICommandAssistant
    {
        public string? LastPartial { get; private set; }

        public Task<IReadOnlyList<string>> CompleteAsync(string partialLine)
        {
            LastPartial = partialLine;
            return Task.FromResult(completions);
        }

        public Task<string> HelpAsync(string partialLine)
        {
            LastPartial = partialLine;
            return Task.FromResult(help);
        }
    }
}
