namespace SharpSwan.Pki;

/// <summary>A refused `pki` invocation; the message names the option, the value and the reason.</summary>
internal sealed class PkiException(string message) : Exception(message);
