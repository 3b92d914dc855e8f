namespace SharpSwan.Platform;

/// <summary>A line read from a control client.</summary>
internal readonly record struct ControlLine(string Text, bool EndedWithNewline, bool TooLong);
