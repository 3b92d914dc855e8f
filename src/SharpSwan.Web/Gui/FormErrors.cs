using System.Text;
using SharpSwan.Web.Cmdb;

namespace SharpSwan.Web.Gui;

/// <summary>
/// Validation errors of a submitted form, each shown once: next to its field when the page has that field, otherwise
/// in the summary at the top. The wording is the CLI's (message and reason), so GUI and CLI users read the same thing.
/// </summary>
internal sealed class FormErrors(IReadOnlyList<FieldError> errors)
{
    private readonly HashSet<FieldError> _shown = new(ReferenceEqualityComparer.Instance);

    public static FormErrors None { get; } = new([]);

    public int Count => errors.Count;

    public IEnumerable<FieldError> NotShown => errors.Where(e => !_shown.Contains(e));

    /// <summary>Whether any of these fields of this row has an error (to open a collapsed section that holds it).</summary>
    public bool Any(string path, string? row, params string[] fields) =>
        errors.Any(e => e.Path == path && e.Row == row && e.Field is not null && fields.Contains(e.Field));

    /// <summary>The errors of these fields of this row, as HTML, marked shown.</summary>
    public string For(string path, string? row, params string[] fields)
    {
        var html = new StringBuilder();
        foreach (var error in errors.Where(e => !_shown.Contains(e) && e.Path == path && e.Row == row && e.Field is not null && fields.Contains(e.Field)))
        {
            _shown.Add(error);
            html.Append(Render(error));
        }

        return html.ToString();
    }

    public static string Render(FieldError error) =>
        $"<div class=\"field-error\" data-field=\"{Html.Encode(error.Field)}\"><span class=\"cli\">{Html.Encode(error.Message)}</span>"
        + (error.Reason.Length == 0 ? "" : $" <span class=\"reason\">{Html.Encode(error.Reason)}</span>")
        + "</div>";
}
