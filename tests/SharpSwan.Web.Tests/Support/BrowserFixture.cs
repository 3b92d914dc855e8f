using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

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

    /// <summary>Logs the test administrator in on the login form the page shows and waits for the tunnel list.</summary>
    public static async Task LogInAsync(IPage page)
    {
        await page.FillAsync("#username", WebTestHost.AdminUser);
        await page.FillAsync("#secretkey", WebTestHost.AdminPassword);
        await page.ClickAsync("#login");
        await Expect(page.Locator("h1")).ToHaveTextAsync("IPsec Tunnels");
    }

    /// <summary>Keeps a full-page screenshot under <see cref="ScreenshotDirectory"/>; an empty one fails the test.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 1000, $"screenshot {path} is empty");
    }

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
