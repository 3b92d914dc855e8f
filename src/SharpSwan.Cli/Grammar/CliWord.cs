namespace SharpSwan.Cli.Grammar;

/// <summary>One word of a command line with its quotes and escapes resolved.</summary>
/// <param name="Text">The word as the command sees it.</param>
/// <param name="Column">1-based column where the word starts.</param>
/// <param name="Quoted">True when any part of it was written inside quotes.</param>
public readonly record struct CliWord(string Text, int Column, bool Quoted);
