namespace SharpSwan.Fuzz;

/// <summary>Every target, by name; a target is built only when asked for (some set up keys and certificates).</summary>
internal static class FuzzTargets
{
    private static readonly (string Name, Func<IFuzzTarget> Create)[] Factories =
    [
        ("ike", () => new IkeTarget()),
        ("ike-sk", () => new IkeProtectedTarget()),
        ("ikev1", () => new IsakmpTarget()),
        ("esp", () => new EspTarget()),
        ("config", () => new ConfigTarget()),
        ("cli", () => new CliTarget()),
        ("rest", () => new RestTarget()),
        ("cert", () => new CertificateTarget()),
    ];

    public static IEnumerable<string> Names => Factories.Select(f => f.Name);

    public static IFuzzTarget? Create(string name) => Factories.FirstOrDefault(f => f.Name == name).Create?.Invoke();
}
