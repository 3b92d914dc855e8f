using SharpSwan.Config;
using SharpSwan.Config.Editing;
using SharpSwan.Web.Cmdb;
using SharpSwan.Web.Tests.Support;

namespace SharpSwan.Web.Tests;

/// <summary>The web edits the one editable text model (<see cref="EditableDocument"/>) that the CLI editor edits.</summary>
public sealed class ConfigDocumentTests
{
    [Fact]
    public void RenderedDocument_ParsesBackToTheSameConfiguration()
    {
        var configuration = WebTestHost.Parse(WebTestHost.BaseConfiguration.Replace(
            "set peertype any",
            "set peertype any\n                set comments \"two\\\nlines \\\"quoted\\\"\"",
            StringComparison.Ordinal));
        var (text, origins) = EditableDocument.FromConfiguration(configuration).Render();

        var reparsed = ConfigurationLoader.Parse(text, "api");
        Assert.True(reparsed.IsValid, string.Join("\n", reparsed.Errors));
        Assert.Equal(configuration, reparsed.Configuration);
        Assert.Equal("two\nlines \"quoted\"", reparsed.Configuration!.FindPhase1("dialup")!.Comments);
        Assert.Equal(text.Count(c => c == '\n'), origins.Count);
    }

    [Fact]
    public void ParserErrors_ArePlacedOnTheRowAndFieldThatCausedThem()
    {
        var document = EditableDocument.FromConfiguration(WebTestHost.Parse(WebTestHost.BaseConfiguration));
        var row = document.Find("vpn ipsec phase2-interface", "to-branch-p2")!;
        row.SetRaw("comments", "\"first\\\nsecond\"");
        row.SetRaw("keylifeseconds", "99");
        var (text, origins) = document.Render();

        var error = Assert.Single(ConfigurationLoader.Parse(text, "api").Errors);
        var placed = ConfigurationEditor.ToFieldError(error, origins);
        Assert.Equal("vpn ipsec phase2-interface", placed.Path);
        Assert.Equal("to-branch-p2", placed.Row);
        Assert.Equal("keylifeseconds", placed.Field);
        Assert.Equal(-651, placed.ReturnCode);
    }

    [Fact]
    public void MissingAttribute_IsPlacedOnTheAttribute()
    {
        var document = EditableDocument.FromConfiguration(WebTestHost.Parse(WebTestHost.BaseConfiguration));
        document.Find("vpn ipsec phase1-interface", "to-branch")!.Unset("remote-gw");
        var (text, origins) = document.Render();

        var placed = ConfigurationEditor.ToFieldError(Assert.Single(ConfigurationLoader.Parse(text, "api").Errors), origins);
        Assert.Equal("to-branch", placed.Row);
        Assert.Equal("remote-gw", placed.Field);
        Assert.Equal(-56, placed.ReturnCode);
        Assert.Equal("Attribute 'remote-gw' MUST be set.\nCommand fail. Return code -56", placed.CliText);
    }
}
