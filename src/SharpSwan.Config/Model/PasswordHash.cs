using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// A salted hash of an administrator password or an API key: PBKDF2-HMAC-SHA-256 with a random 16-byte salt.
/// Only the hash is kept, so the configuration file never holds a way back to the password.
/// </summary>
/// <remarks>
/// In the file it is written <c>set password ENC pbkdf2-sha256$&lt;iterations&gt;$&lt;salt&gt;$&lt;hash&gt;</c>
/// (base64 salt and hash). A plaintext value (<c>set password "s3cret"</c>) is hashed when the file is read,
/// as FortiOS does, and written back in the ENC form.
/// </remarks>
public sealed class PasswordHash : IEquatable<PasswordHash>
{
    /// <summary>Administrator passwords are typed by people and may be weak: make each guess expensive (OWASP 2023 figure for PBKDF2-HMAC-SHA-256).</summary>
    public const int PasswordIterations = 600_000;

    /// <summary>API keys are long random strings and are checked on every request, so fewer rounds suffice.</summary>
    public const int ApiKeyIterations = 10_000;

    public const int MaximumPlaintextLength = 128;

    private const string EncodedPrefix = "ENC";
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    private readonly byte[] _salt;
    private readonly byte[] _hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash)
    {
        Iterations = iterations;
        _salt = salt;
        _hash = hash;
    }

    public int Iterations { get; }

    /// <summary>Hashes <paramref name="plaintext"/> with a fresh random salt.</summary>
    public static PasswordHash Create(string plaintext, int iterations)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return new PasswordHash(iterations, salt, Derive(plaintext, salt, iterations));
    }

    /// <summary>True when <paramref name="candidate"/> is the password; compares in constant time.</summary>
    public bool Verify(string candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return CryptographicOperations.FixedTimeEquals(Derive(candidate, _salt, Iterations), _hash);
    }

    /// <summary>
    /// Parses the values of <c>set password</c> / <c>set api-key</c>: <c>ENC pbkdf2-sha256$...</c>, or one plaintext
    /// value of <paramref name="minimumLength"/>-128 characters, which is hashed with <paramref name="iterations"/> rounds.
    /// </summary>
    public static bool TryParse(
        IReadOnlyList<string> configValues, int iterations, int minimumLength, out PasswordHash? hash, out string error)
    {
        ArgumentNullException.ThrowIfNull(configValues);
        hash = null;
        if (configValues.Count == 2 && configValues[0] == EncodedPrefix)
        {
            return TryParseEncoded(configValues[1], out hash, out error);
        }

        if (configValues.Count != 1)
        {
            error = "takes one value: a quoted plaintext or ENC <hash>";
            return false;
        }

        var plaintext = configValues[0];
        if (plaintext.Length < minimumLength || plaintext.Length > MaximumPlaintextLength)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"must be {minimumLength}-{MaximumPlaintextLength} characters");
            return false;
        }

        if (plaintext.Any(char.IsControl))
        {
            error = "must not contain control characters";
            return false;
        }

        hash = Create(plaintext, iterations);
        error = "";
        return true;
    }

    /// <summary>The value to print after <c>set password</c>: <c>ENC pbkdf2-sha256$...</c>.</summary>
    public string ToConfigString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{EncodedPrefix} {Scheme}${Iterations}${Convert.ToBase64String(_salt)}${Convert.ToBase64String(_hash)}");

    /// <summary>Never the hash: it would let anyone who reads logs guess passwords offline.</summary>
    public override string ToString() => "ENC ****";

    public bool Equals(PasswordHash? other) =>
        other is not null
        && Iterations == other.Iterations
        && CryptographicOperations.FixedTimeEquals(_salt, other._salt)
        && CryptographicOperations.FixedTimeEquals(_hash, other._hash);

    public override bool Equals(object? obj) => Equals(obj as PasswordHash);

    public override int GetHashCode() => Iterations;

    private static bool TryParseEncoded(string text, out PasswordHash? hash, out string error)
    {
        hash = null;
        var parts = text.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme)
        {
            error = $"ENC value must be {Scheme}$<iterations>$<salt>$<hash>";
            return false;
        }

        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            error = "ENC value has a bad iteration count";
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var derived = Convert.FromBase64String(parts[3]);
            if (salt.Length < 4 || derived.Length != HashBytes)
            {
                error = "ENC value has a bad salt or hash length";
                return false;
            }

            hash = new PasswordHash(iterations, salt, derived);
            error = "";
            return true;
        }
        catch (FormatException)
        {
            error = "ENC value is not valid base64";
            return false;
        }
    }

    private static byte[] Derive(string plaintext, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(plaintext), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
