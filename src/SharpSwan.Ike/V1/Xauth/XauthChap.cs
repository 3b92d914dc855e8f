using System.Security.Cryptography;

namespace SharpSwan.Ike.V1.Xauth;

/// <summary>
/// XAUTH_TYPE RADIUS-CHAP (draft-beaulieu-ike-xauth: type 1, with XAUTH-CHALLENGE 16525 in the server's REQUEST). The
/// client's XAUTH-USER-PASSWORD carries what RADIUS carries in CHAP-Password (RFC 2865 §5.3): one octet, the CHAP
/// identifier, then the 16-octet CHAP-MD5 response of RFC 1994 §4.1, MD5(identifier | password | challenge). XAUTH has no
/// CHAP packet whose identifier the client could copy, so the identifier travels in that first octet and the server
/// takes it from there; SharpSwan's client uses the low octet of the REQUEST's transaction identifier.
/// </summary>
internal static class XauthChap
{
    /// <summary>XAUTH_TYPE value of RADIUS-CHAP.</summary>
    public const ushort Type = 1;

    /// <summary>Our challenge is 16 random octets, as long as the MD5 output (RFC 1994 leaves the length open).</summary>
    public const int ChallengeLength = 16;

    /// <summary>Identifier octet and MD5 response.</summary>
    public const int AnswerLength = 1 + 16;

    /// <summary>The client's XAUTH-USER-PASSWORD value: the identifier, then MD5(identifier | password | challenge).</summary>
    public static byte[] Answer(byte identifier, ReadOnlySpan<byte> password, ReadOnlySpan<byte> challenge)
    {
        var answer = new byte[AnswerLength];
        answer[0] = identifier;
        Response(identifier, password, challenge, answer.AsSpan(1));
        return answer;
    }

    /// <summary>
    /// Whether <paramref name="answer"/> is the CHAP answer for <paramref name="password"/>: the MD5 is compared in
    /// constant time; an answer of the wrong length is compared against a recomputed one all the same and fails.
    /// </summary>
    public static bool Matches(ReadOnlySpan<byte> answer, ReadOnlySpan<byte> password, ReadOnlySpan<byte> challenge)
    {
        bool wellFormed = answer.Length == AnswerLength;
        Span<byte> given = stackalloc byte[AnswerLength];
        answer[..Math.Min(answer.Length, AnswerLength)].CopyTo(given);
        Span<byte> expected = stackalloc byte[16];
        Response(given[0], password, challenge, expected);
        bool same = CryptographicOperations.FixedTimeEquals(expected, given[1..]);
        CryptographicOperations.ZeroMemory(expected);
        CryptographicOperations.ZeroMemory(given);
        return wellFormed & same;
    }

    private static void Response(byte identifier, ReadOnlySpan<byte> password, ReadOnlySpan<byte> challenge, Span<byte> destination)
    {
        var input = new byte[1 + password.Length + challenge.Length];
        try
        {
            input[0] = identifier;
            password.CopyTo(input.AsSpan(1));
            challenge.CopyTo(input.AsSpan(1 + password.Length));
            MD5.HashData(input, destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }
}
