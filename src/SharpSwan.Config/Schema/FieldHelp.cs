namespace SharpSwan.Config;

/// <summary>What the CLI's <c>?</c> help says about one field.</summary>
/// <param name="Description">One line, lower case, no final period.</param>
/// <param name="Range">Accepted values in words, e.g. <c>120-172800</c> or <c>a.b.c.d</c>; null when the choices say it.</param>
/// <param name="Choices">The keywords accepted (or, for lists, the common ones offered by completion).</param>
/// <param name="IsList">True for multi-value fields (<c>append</c>, <c>select</c> and <c>unselect</c> work on them).</param>
/// <param name="Default">The FortiOS default of a kept-verbatim field; interpreted fields take theirs from the model.</param>
internal sealed record FieldHelp(
    string Description,
    string? Range = null,
    IReadOnlyList<string>? Choices = null,
    bool IsList = false,
    string? Default = null);
