namespace SharpSwan.Config.Editing;

/// <summary>
/// One refusal as the CLI prints it: FortiOS's lines (e.g. <c>node_check_object fail! ...</c>,
/// <c>value parse error before '100'</c>), SharpSwan's reason, and the FortiOS return code that ends the answer.
/// </summary>
/// <param name="Text">One or more lines, without a trailing newline.</param>
/// <param name="ReturnCode">Negative FortiOS return code, e.g. -61 for a parse error, -651 for a bad value.</param>
public sealed record EditError(string Text, int ReturnCode)
{
    /// <summary>The last line of every failing answer.</summary>
    public const string FailurePrefix = "Command fail. Return code ";

    public const int ParseError = -61;
    public const int BadValue = -651;
    public const int NotFound = -3;
    public const int Duplicate = -5;
    public const int InUse = -23;
    public const int Incomplete = -160;
    public const int MustBeSet = -56;
    public const int Conflict = -1;

    /// <summary>Prints each error, then one <c>Command fail. Return code n</c> line (the first error's code).</summary>
    public static async Task WriteAsync(TextWriter output, IReadOnlyList<EditError> errors)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            return;
        }

        foreach (var error in errors)
        {
            await output.WriteAsync(error.Text + "\n").ConfigureAwait(false);
        }

        await output.WriteAsync(FailurePrefix + errors[0].ReturnCode.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n").ConfigureAwait(false);
    }

    /// <summary>The CLI form of a file-validator error, optionally headed by where it is.</summary>
    internal static EditError From(ConfigError error, string? location)
    {
        var lines = new List<string>();
        if (location is not null)
        {
            lines.Add(location);
        }

        var detail = error.Detail.Split('\n');
        lines.AddRange(detail[..^1]);
        int code;
        if (error.Message.StartsWith(FailurePrefix, StringComparison.Ordinal))
        {
            // The validator's "incomplete command" carries its own return code in the message.
            _ = int.TryParse(error.Message.AsSpan(FailurePrefix.Length), System.Globalization.CultureInfo.InvariantCulture, out code);
        }
        else
        {
            lines.Add(error.Message);
            code = CodeOf(error.Message);
        }

        if (detail[^1].Length > 0)
        {
            lines.Add(detail[^1]);
        }

        return new EditError(string.Join("\n", lines), code == 0 ? Conflict : code);
    }

    private static int CodeOf(string message) =>
        message.StartsWith("value parse error", StringComparison.Ordinal) ? BadValue
        : message.StartsWith("entry not found", StringComparison.Ordinal) ? NotFound
        : message.StartsWith("Attribute '", StringComparison.Ordinal) ? MustBeSet
        : ParseError;
}
