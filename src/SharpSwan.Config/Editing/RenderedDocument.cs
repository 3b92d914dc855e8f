namespace SharpSwan.Config.Editing;

/// <summary>Candidate configuration text and, per line (index = line - 1), where it came from.</summary>
public sealed record RenderedDocument(string Text, IReadOnlyList<LineOrigin> Origins)
{
    public LineOrigin? OriginOf(int line) => line >= 1 && line <= Origins.Count ? Origins[line - 1] : null;
}
