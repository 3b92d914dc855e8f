namespace SharpSwan.Platform.Interop;

/// <summary>Validation shared by everything that takes a Linux interface name.</summary>
internal static class InterfaceName
{
    /// <summary>IFNAMSIZ is 16 including the terminating NUL.</summary>
    public const int MaxLength = 15;

    public static void Validate(string name, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        if (name.Length == 0)
        {
            throw new ArgumentException("Interface name must not be empty.", parameterName);
        }

        if (name.Length > MaxLength)
        {
            throw new ArgumentException(
                $"Interface name '{name}' is {name.Length} characters long; Linux allows at most {MaxLength}.", parameterName);
        }

        if (name is "." or "..")
        {
            throw new ArgumentException($"Interface name '{name}' is not allowed.", parameterName);
        }

        foreach (char c in name)
        {
            // The kernel rejects '/', ':' and whitespace; '%' would make TUNSETIFF pick a name of its own.
            if (c > 0x7E || c <= 0x20 || c is '/' or ':' or '%')
            {
                throw new ArgumentException(
                    $"Interface name '{name}' contains '{c}'; use printable ASCII without '/', ':', '%' or spaces.", parameterName);
            }
        }
    }
}
