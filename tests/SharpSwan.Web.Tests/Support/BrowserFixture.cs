using Microsoft.Playwright;

namespace SharpSwan.Web.Tests.Support;

/// <summary>
/// One headless Chromium for the browser tests: Debian's /usr/bin/chromium (or $SHARPSWAN_CHROMIUM), driven by
/// Playwright's bundled driver. Playwright is never asked to download a browser.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string DefaultChromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public IPlaywright Playwright => _playwright!;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("SHARPSWAN_CHROMIUM") ?? DefaultChromium;

    public static string[] ChromiumArguments { get; } =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    /// <summary>Where each page's screenshot is kept: .test-output/screenshots at the repository root.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot(), ".test-output", "screenshots");

    public async Task InitializeAsync()
    {
        var executable = ChromiumPath;
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} is missing: install Debian's chromium package (./test.sh does)");
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ChromiumArguments,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SharpSwan.slnx")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
