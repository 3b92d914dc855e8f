namespace SharpSwan.Config;

/// <summary>One word of a command line after quotes and escapes are resolved.</summary>
/// <param name="Text">The word without its quotes.</param>
/// <param name="Line">1-based line where the word starts.</param>
/// <param name="Column">1-based column where the word starts.</param>
/// <param name="Quoted">True when any part of the word was inside quotes.</param>
internal readonly record struct ConfigToken(string Text, int Line, int Column, bool Quoted);
