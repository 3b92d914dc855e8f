using System.CommandLine;

namespace SharpSwan.Pki;

/// <summary>
/// `sharpswan pki ca|issue`: makes a lab CA and certificates signed by it, as PEM files strongSwan and SharpSwan load.
/// </summary>
internal static class PkiCommand
{
    public static Command Create()
    {
        var command = new Command("pki", "make a CA and certificates for `authmethod signature` (PEM, unencrypted PKCS#8 keys)");
        command.Subcommands.Add(CreateCa());
        command.Subcommands.Add(CreateIssue());
        return command;
    }

    private static Command CreateCa()
    {
        var output = OutOption();
        var name = NameOption();
        var subject = SubjectOption();
        var key = KeyOption();
        var days = DaysOption(PkiRunner.DefaultCaDays);
        var force = ForceOption();
        var command = new Command("ca", "create a self-signed CA: writes NAME.crt and NAME.key (mode 0600) in DIR")
        {
            output, name, subject, key, days, force,
        };
        command.SetAction(parse => PkiRunner.RunCa(
            new PkiCaRequest(parse.GetValue(output)!, parse.GetValue(name)!, parse.GetValue(subject), parse.GetValue(key)!, parse.GetValue(days), parse.GetValue(force)),
            DateTimeOffset.UtcNow,
            Console.Out,
            Console.Error));
        return command;
    }

    private static Command CreateIssue()
    {
        var authority = new Option<string>("--ca")
        {
            Description = "the issuing CA as DIR/NAME (reads DIR/NAME.crt and DIR/NAME.key)",
            Required = true,
        };
        var output = OutOption();
        var name = NameOption();
        var subject = SubjectOption();
        var altNames = new Option<string[]>("--san")
        {
            Description = "subject alternative name: dns:HOST, email:USER@DOMAIN or ip:ADDRESS (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var key = KeyOption();
        var days = DaysOption(null);
        var notBefore = new Option<string?>("--not-before") { Description = "start of validity, ISO 8601 (default: now, less 5 minutes for clock skew)" };
        var notAfter = new Option<string?>("--not-after") { Description = $"end of validity, ISO 8601 (default: --days {PkiRunner.DefaultLeafDays} after the start)" };
        var force = ForceOption();
        var command = new Command("issue", "issue a certificate signed by a CA: writes NAME.crt and NAME.key (mode 0600) in DIR")
        {
            authority, output, name, subject, altNames, key, days, notBefore, notAfter, force,
        };
        command.SetAction(parse => PkiRunner.RunIssue(
            new PkiIssueRequest(
                parse.GetValue(authority)!,
                parse.GetValue(output)!,
                parse.GetValue(name)!,
                parse.GetValue(subject),
                parse.GetValue(altNames) ?? [],
                parse.GetValue(key)!,
                parse.GetValue(days),
                parse.GetValue(notBefore),
                parse.GetValue(notAfter),
                parse.GetValue(force)),
            DateTimeOffset.UtcNow,
            Console.Out,
            Console.Error));
        return command;
    }

    private static Option<string> OutOption() => new("--out") { Description = "directory to write NAME.crt and NAME.key into (created if missing)", Required = true };

    private static Option<string> NameOption() => new("--name") { Description = "file name stem: letters, digits, '.', '_' and '-'", Required = true };

    private static Option<string?> SubjectOption() => new("--subject") { Description = "distinguished name, e.g. \"CN=hub, O=Lab\" (default: CN=NAME)" };

    private static Option<string> KeyOption() => new("--key")
    {
        Description = "key type: ecdsa-p256 (default), ecdsa-p384, rsa-2048 or rsa-3072",
        DefaultValueFactory = _ => "ecdsa-p256",
    };

    private static Option<int?> DaysOption(int? defaultDays) => new("--days")
    {
        Description = $"validity in days (default {defaultDays ?? PkiRunner.DefaultLeafDays})",
    };

    private static Option<bool> ForceOption() => new("--force") { Description = "overwrite NAME.crt and NAME.key if they exist" };
}
