using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// A pre-shared key. Holds the raw key bytes; never prints them.
/// </summary>
/// <remarks>
/// In the file a key is written as plaintext (<c>set psksecret "k3y"</c>), as raw bytes
/// (<c>set psksecret 0x6b3379</c>) or as <c>set psksecret ENC sharpswan-aes256gcm$...</c>: AES-256-GCM under the
/// key in the state directory (<see cref="SecretKeyring"/>). The old base64 form is still read and written back
/// encrypted; a FortiOS <c>ENC</c> value is refused, since only the device that made it holds its key.
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
    /// Parses the values of <c>set psksecret</c>: <c>ENC &lt;SharpSwan encrypted form&gt;</c>, <c>0x&lt;hex&gt;</c> or
    /// one plaintext value, with the process's keyring. See the overload for the forms of <c>ENC</c>.
    /// </summary>
    public static bool TryParse(IReadOnlyList<string> configValues, out Secret? secret, out string error) =>
        TryParse(configValues, SecretKeyring.Current, out secret, out _, out error);

    /// <summary>
    /// Parses the values of <c>set psksecret</c>. <c>ENC</c> values come in three kinds: SharpSwan's encrypted form
    /// (decrypted with <paramref name="keyring"/>); SharpSwan's old base64 form, whose bytes are printable text
    /// (<paramref name="legacy"/> is then true: it is written back encrypted); anything else in base64 was encrypted by
    /// a FortiGate with its own key and cannot be used here.
    /// </summary>
    public static bool TryParse(IReadOnlyList<string> configValues, SecretKeyring keyring, out Secret? secret, out bool legacy, out string error)
    {
        ArgumentNullException.ThrowIfNull(configValues);
        ArgumentNullException.ThrowIfNull(keyring);
        secret = null;
        legacy = false;
        if (configValues.Count == 2 && configValues[0] == EncodedPrefix)
        {
            return TryParseEncoded(configValues[1], keyring, allowLineBreaks: false, out secret, out legacy, out error);
        }

        if (configValues.Count != 1)
        {
            error = "psksecret takes one value: a quoted key, 0x<hex> or ENC <SharpSwan encrypted form>";
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

    /// <summary>The word after <c>ENC</c>; the error (without the field name) never contains any part of the value.</summary>
    /// <param name="allowLineBreaks">True for PEM text, whose old base64 form decodes to several lines.</param>
    internal static bool TryParseEncoded(string encoded, SecretKeyring keyring, bool allowLineBreaks, out Secret? secret, out bool legacy, out string error)
    {
        secret = null;
        legacy = false;
        if (SecretCipher.IsOwnForm(encoded))
        {
            var opened = SecretCipher.Open(keyring, encoded, out error);
            secret = opened is null ? null : new Secret(opened);
            return secret is not null;
        }

        var bytes = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, bytes, out var length) || length == 0)
        {
            error = "ENC value is not SharpSwan's encrypted form, nor valid base64";
            return false;
        }

        if (!IsPrintableText(bytes.AsSpan(0, length), allowLineBreaks))
        {
            error = ForeignMessage;
            return false;
        }

        secret = new Secret(bytes.AsSpan(0, length).ToArray());
        legacy = true;
        error = "";
        return true;
    }

    /// <summary>What a FortiOS-encrypted value is told (FortiOS encrypts with a key only that device has).</summary>
    public const string ForeignMessage = "encrypted by another device: set the secret again in clear text";

    /// <summary>True when <paramref name="value"/> (the word after <c>ENC</c>) is SharpSwan's encrypted form.</summary>
    public static bool IsOwnEncryption(string value) => SecretCipher.IsOwnForm(value);

    /// <summary>
    /// SharpSwan's old form was the base64 of a key typed as text; a FortiOS value decodes to cipher bytes, which are
    /// never all printable past a few bytes.
    /// </summary>
    private static bool IsPrintableText(ReadOnlySpan<byte> bytes, bool allowLineBreaks)
    {
        foreach (var b in bytes)
        {
            var printable = b is >= 0x20 and < 0x7f || (allowLineBreaks && b is (byte)'\n' or (byte)'\r' or (byte)'\t');
            if (!printable)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A copy of the key bytes, for APIs that need an array.</summary>
    public byte[] GetBytes() => (byte[])_bytes.Clone();

    /// <summary>The value to print after <c>set psksecret</c>: <c>ENC sharpswan-aes256gcm$...</c>, encrypted with <paramref name="keyring"/> (default: the process's).</summary>
    /// <exception cref="IOException">The keyring's key file cannot be read or written.</exception>
    public string ToConfigString(SecretKeyring? keyring = null) =>
        EncodedPrefix + " " + SecretCipher.Seal(keyring ?? SecretKeyring.Current, _bytes);

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
