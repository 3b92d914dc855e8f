namespace SharpSwan.Testing;

/// <summary>Shared as source by the crypto and ESP tests: test vectors written as hex.</summary>
internal static class Hex
{
    /// <summary>Parses hex that may contain spaces or line breaks, as vectors are printed in RFCs.</summary>
    public static byte[] Parse(string hex) =>
        Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));
}
