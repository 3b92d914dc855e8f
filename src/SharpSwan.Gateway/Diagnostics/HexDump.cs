using System.Globalization;
using System.Text;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// The sniffer's hex dump: `0x0000&lt;TAB&gt; ffff ffff ... 0001&lt;TAB&gt;ascii`, 16 bytes a line in groups of two, the last line
/// padded so the ASCII column stays aligned; unprintable bytes show as `.`.
/// </summary>
public static class HexDump
{
    private const int BytesPerLine = 16;

    // Eight groups of four hex digits with a space between them.
    private const int HexColumnWidth = (BytesPerLine / 2 * 5) - 1;

    public static void Append(StringBuilder text, ReadOnlySpan<byte> data)
    {
        for (var offset = 0; offset < data.Length; offset += BytesPerLine)
        {
            var line = data.Slice(offset, Math.Min(BytesPerLine, data.Length - offset));
            text.Append(CultureInfo.InvariantCulture, $"0x{offset:x4}\t ");
            var start = text.Length;
            for (var i = 0; i < line.Length; i++)
            {
                if (i > 0 && i % 2 == 0)
                {
                    text.Append(' ');
                }

                text.Append(CultureInfo.InvariantCulture, $"{line[i]:x2}");
            }

            text.Append(' ', HexColumnWidth - (text.Length - start));
            text.Append('\t');
            foreach (var b in line)
            {
                text.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
            }

            text.Append('\n');
        }
    }
}
