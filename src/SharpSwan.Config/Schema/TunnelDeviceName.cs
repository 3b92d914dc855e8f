namespace SharpSwan.Config;

/// <summary>
/// A phase1-interface's name is also the name of its TUN device, so it must be one Linux accepts (the rules of the
/// kernel's dev_valid_name and of TUNSETIFF); checked when the configuration is read, so that <c>check</c>, the CLI's
/// <c>edit</c> and <c>rename</c> and the GUI refuse it instead of the gateway failing when it creates the device.
/// </summary>
internal static class TunnelDeviceName
{
    /// <summary>Why <paramref name="name"/> cannot name a Linux interface, or null when it can.</summary>
    public static string? Problem(string name)
    {
        if (name is "." or "..")
        {
            return $"Linux reserves \"{name}\"";
        }

        foreach (var c in name)
        {
            // Whitespace, '/' and ':' the kernel refuses; '%' makes TUNSETIFF choose a name of its own; the name is ASCII bytes.
            if (c is <= ' ' or > '~' or '/' or ':' or '%')
            {
                var shown = c switch
                {
                    ' ' => "a space",
                    > ' ' and <= '~' => $"'{c}'",
                    _ => $"U+{(int)c:X4}",
                };
                return $"Linux refuses {shown} in it: use printable ASCII without spaces, '/', ':' or '%'";
            }
        }

        return null;
    }
}
