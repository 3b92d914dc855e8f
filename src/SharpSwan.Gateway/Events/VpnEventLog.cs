using System.Text;

namespace SharpSwan.Gateway.Events;

/// <summary>
/// The VPN event log: the last <c>capacity</c> records in memory, and every record appended to a file (when a path is
/// given) that rotates at <c>maxFileBytes</c> into FILE.1 ... FILE.<c>rotatedFiles</c>. On start the current file's tail is
/// read back, so `execute log display` still shows events from before a restart. A file that cannot be written is
/// reported in <see cref="LastError"/>; the in-memory log keeps working.
/// The file stays open between records (opening, statting and closing it for each one cost more than the write itself
/// when a thousand peers come up at once); each record is still one unbuffered write, so nothing waits in memory to
/// be lost on a crash or shutdown, and its size is tracked here to rotate without a stat.
/// </summary>
public sealed class VpnEventLog : IDisposable
{
    public const int DefaultCapacity = 1000;
    public const long DefaultMaxFileBytes = 1024 * 1024;
    public const int DefaultRotatedFiles = 3;

    private const UnixFileMode LogFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly FileStreamOptions AppendOptions = CreateAppendOptions();
    private readonly Lock _gate = new();
    private readonly Queue<VpnEventRecord> _records = new();
    private readonly TimeZoneInfo _zone;
    private readonly int _capacity;
    private readonly long _maxFileBytes;
    private readonly int _rotatedFiles;
    private bool _modeChecked;
    private FileStream? _file;
    private long _fileLength;

    public VpnEventLog(string? path, TimeZoneInfo zone, int capacity = DefaultCapacity, long maxFileBytes = DefaultMaxFileBytes, int rotatedFiles = DefaultRotatedFiles)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFileBytes, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rotatedFiles);
        Path = path;
        this._zone = zone;
        this._capacity = capacity;
        this._maxFileBytes = maxFileBytes;
        this._rotatedFiles = rotatedFiles;
        LoadTail();
    }

    public string? Path { get; }

    /// <summary>Why the last file write failed; null after a successful one.</summary>
    public string? LastError { get; private set; }

    /// <summary>Raised after a record is stored (outside the lock), for forwarding such as syslog.</summary>
    public event Action<VpnEventRecord>? Appended;

    public VpnEventRecord Append(VpnEvent record)
    {
        var line = VpnEventFormatter.Format(record, _zone);
        var stored = new VpnEventRecord(line);
        lock (_gate)
        {
            _records.Enqueue(stored);
            while (_records.Count > _capacity)
            {
                _records.Dequeue();
            }

            WriteToFile(line);
        }

        Appended?.Invoke(stored);
        return stored;
    }

    /// <summary>The records in memory, oldest first.</summary>
    public IReadOnlyList<VpnEventRecord> Records()
    {
        lock (_gate)
        {
            return _records.ToList();
        }
    }

    /// <summary>Closes the file (every record is already written to it).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            CloseFile();
        }
    }

    private void WriteToFile(string line)
    {
        if (Path is null)
        {
            return;
        }

        try
        {
            var bytes = Utf8.GetBytes(line + "\n");
            var file = _file ?? OpenFile();
            if (_fileLength > 0 && _fileLength + bytes.Length > _maxFileBytes)
            {
                CloseFile();
                Rotate();
                file = OpenFile();
            }

            file.Write(bytes);
            _fileLength += bytes.Length;
            LastError = null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Reopened on the next record: the directory may come back, or the disk may have room again.
            CloseFile();
            LastError = ex.Message;
        }
    }

    private FileStream OpenFile()
    {
        _file = new FileStream(Path!, AppendOptions);
        _fileLength = _file.Length;
        RestrictMode();
        return _file;
    }

    private void CloseFile()
    {
        var file = _file;
        _file = null;
        try
        {
            file?.Dispose();
        }
        catch (IOException)
        {
            // Unbuffered: nothing was waiting to be written, so a failing close loses no record.
        }
    }

    /// <summary>
    /// A log file that existed before (or was widened by hand) is set back to 0640 once per process: the event log names
    /// peers and users, readable by the owner's group (e.g. adm) but nobody else. Files created after a rotation get
    /// that mode from their creation.
    /// </summary>
    private void RestrictMode()
    {
        if (OperatingSystem.IsWindows() || _modeChecked)
        {
            return;
        }

        if (File.GetUnixFileMode(_file!.SafeFileHandle) != LogFileMode)
        {
            File.SetUnixFileMode(_file.SafeFileHandle, LogFileMode);
        }

        _modeChecked = true;
    }

    private static FileStreamOptions CreateAppendOptions()
    {
        // BufferSize 0: each record goes to the kernel in its own write, never held back in our memory.
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = LogFileMode;
        }

        return options;
    }

    private void Rotate()
    {
        if (_rotatedFiles == 0)
        {
            File.Delete(Path!);
            return;
        }

        File.Delete($"{Path}.{_rotatedFiles}");
        for (var generation = _rotatedFiles - 1; generation >= 1; generation--)
        {
            var older = $"{Path}.{generation}";
            if (File.Exists(older))
            {
                File.Move(older, $"{Path}.{generation + 1}");
            }
        }

        File.Move(Path!, $"{Path}.1");
    }

    private void LoadTail()
    {
        if (Path is null || !File.Exists(Path))
        {
            return;
        }

        try
        {
            foreach (var line in File.ReadLines(Path, Utf8).Where(l => l.StartsWith("date=", StringComparison.Ordinal)))
            {
                _records.Enqueue(VpnEventRecord.FromLine(line));
                if (_records.Count > _capacity)
                {
                    _records.Dequeue();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LastError = ex.Message;
        }
    }
}
