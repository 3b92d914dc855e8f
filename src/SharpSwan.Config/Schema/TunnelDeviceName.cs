namespace SharpSwan.Config;

/// <summary>
/// A phase1-interface's name is also the name of its TUN device, so it must be one Linux accepts (the rules of the
/// kernel's dev_valid_name and of TUNSETIFF); checked here so that <c>check</c>, the CLI's <c>end</c> and the GUI refuse
/// it at its line instead of the gateway failing when it creates the device.
/// </summary>
internal static class TunnelDeviceName
{
    /// <summary>Why <paramref name="name"/> cannot name a Linux interface, or null when it can.</summary>
    public static string? Problem(string name)
    {
        if (name is "." or "..")
        {
            return $"\"{name}\" is reserved by Linux";
        }

        foreach (var c in name)
        {
            // Whitespace, '/' and ':' the kernel refuses; '%' makes TUNSETIFF choose a name of its own; the name is ASCII bytes.
            if (c is <= ' ' or > '~' or '/' or ':' or '%')
            {
                var shown = c is > ' ' and <= '~' ? $"'{c}'" : $"U+{(int)c:X4}";
                return $"it contains {shown}; use printable ASCII without spaces, '/', ':' or '%'";
            }
        }

        return null;
    }
}
