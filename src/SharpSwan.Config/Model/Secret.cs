using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// A pre-shared key. Holds the raw key bytes; never prints them.
/// </summary>
/// <remarks>
/// In the file a key is written as plaintext (<c>set psksecret "k3y"</c>), as raw bytes
/// (<c>set psksecret 0x6b3379</c>) or as <c>set psksecret ENC &lt;base64&gt;</c>. Our <c>ENC</c>
/// form is the base64 of the key bytes: it keeps the key from being read over a shoulder and
/// survives quoting, but it is obfuscation, not encryption; protect the file itself.
/// </remarks>
public sealed class Secret : IEquatable<Secret>
{
    /// <summary>FortiOS accepts ASCII pre-shared keys of 6 to 128 characters (inferred from the GUI limits).</summary>
    public const int MinimumPlaintextLength = 6;

    public const int MaximumPlaintextLength = 128;

    private const string EncodedPrefix = "ENC";

    private readonly byte[] _bytes;

    private Secret(byte[] bytes) => _bytes = bytes;

    /// <summary>The key bytes as IKE uses them (the UTF-8 bytes of a plaintext key).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    public int Length => _bytes.Length;

    public static Secret FromPlaintext(string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        return new Secret(Encoding.UTF8.GetBytes(plaintext));
    }

    public static Secret FromBytes(ReadOnlySpan<byte> bytes) => new(bytes.ToArray());

    /// <summary>
    /// Parses the values of <c>set psksecret</c>: <c>ENC &lt;base64&gt;</c>, <c>0x&lt;hex&gt;</c> or one plaintext value.
    /// </summary>
    public static bool TryParse(IReadOnlyList<string> configValues, out Secret? secret, out string error)
    {
        ArgumentNullException.ThrowIfNull(configValues);
        secret = null;
        if (configValues.Count == 2 && configValues[0] == EncodedPrefix)
        {
            try
            {
                var bytes = Convert.FromBase64String(configValues[1]);
                if (bytes.Length == 0)
                {
                    error = "psksecret ENC value is empty";
                    return false;
                }

                secret = new Secret(bytes);
                error = "";
                return true;
            }
            catch (FormatException)
            {
                error = "psksecret ENC value is not valid base64";
                return false;
            }
        }

        if (configValues.Count != 1)
        {
            error = "psksecret takes one value: a quoted key, 0x<hex> or ENC <base64>";
            return false;
        }

        var value = configValues[0];
        if (value.Length > 2 && value.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var hex = value.AsSpan(2);
            if (hex.Length % 2 == 0 && IsHex(hex))
            {
                secret = new Secret(Convert.FromHexString(hex));
                error = "";
                return true;
            }

            error = "psksecret 0x value must be an even number of hex digits";
            return false;
        }

        if (value.Length is < MinimumPlaintextLength or > MaximumPlaintextLength)
        {
            error = string.Create(
                CultureInfo.InvariantCulture,
                $"psksecret must be {MinimumPlaintextLength}-{MaximumPlaintextLength} characters");
            return false;
        }

        secret = FromPlaintext(value);
        error = "";
        return true;
    }

    /// <summary>A copy of the key bytes, for APIs that need an array.</summary>
    public byte[] GetBytes() => (byte[])_bytes.Clone();

    /// <summary>The value to print after <c>set psksecret</c>: <c>ENC &lt;base64&gt;</c>.</summary>
    public string ToConfigString() => EncodedPrefix + " " + Convert.ToBase64String(_bytes);

    /// <summary>Never the key: what FortiOS shows to an administrator who may not see secrets.</summary>
    public override string ToString() => "ENC ****";

    public bool Equals(Secret? other) =>
        other is not null && CryptographicOperations.FixedTimeEquals(_bytes, other._bytes);

    public override bool Equals(object? obj) => Equals(obj as Secret);

    // The length alone: a hash of the key bytes would be a (weak) oracle for the key.
    public override int GetHashCode() => _bytes.Length;

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
