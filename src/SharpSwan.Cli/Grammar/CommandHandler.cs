namespace SharpSwan.Cli.Grammar;

/// <summary>Runs one command found in the <see cref="CommandTree"/>.</summary>
public delegate Task CommandHandler(CommandCall call);
