namespace SharpSwan.Config.Editing;

/// <summary>
/// Judges a document exactly as the configuration file would be judged: rendered to FortiOS text, then tokenized,
/// grammar-checked, built and validated by the file loader's own stages. Errors come back with their origin.
/// </summary>
internal static class CandidateCheck
{
    public static CandidateResult Check(EditableDocument document)
    {
        var rendered = document.Render();
        var diagnostics = new DiagnosticBag("candidate");
        var raw = RawConfigReader.Read(ConfigTokenizer.Tokenize(rendered.Text, diagnostics), diagnostics);

        // Build always returns a model (with whatever was valid), which show and get use while an entry is incomplete.
        var configuration = ConfigurationBuilder.Build(raw, diagnostics);
        var errors = diagnostics.ToSortedArray()
            .Select(e => new LocatedError(e, rendered.OriginOf(e.Line)))
            .ToList();
        var warnings = diagnostics.SortedWarnings()
            .Select(w => new LocatedWarning(w, rendered.OriginOf(w.Line)))
            .ToList();
        return new CandidateResult(configuration, errors, warnings);
    }
}
