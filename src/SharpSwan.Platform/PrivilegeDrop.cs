using System.Collections;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using SharpSwan.Platform.Interop;

namespace SharpSwan.Platform;

/// <summary>
/// Started as root, <c>sharpswan run</c> keeps only what the gateway uses: CAP_NET_ADMIN, CAP_NET_RAW and
/// CAP_NET_BIND_SERVICE, as the user it is told to run as (or <c>sharpswan</c> when that user exists), else as uid 0
/// without the other capabilities. Capabilities belong to threads and a .NET process already has several when Main
/// runs, so the drop is made on the calling thread and the process executes itself again: after execve it has one
/// thread, and every thread it starts inherits the reduced sets. The three capabilities are ambient, so the programs
/// it starts (nft) keep them too. The bounding set is cut to the three, so nothing can bring the others back.
/// </summary>
public static unsafe class PrivilegeDrop
{
    /// <summary>Set in the environment of the re-executed process, so it does not drop again.</summary>
    public const string DroppedVariable = "SHARPSWAN_PRIVILEGES_DROPPED";

    /// <summary>The user taken when none is configured, if it exists (the Debian package creates it).</summary>
    public const string DefaultUser = "sharpswan";

    private static readonly int[] Kept = [ProcessPrivileges.NetBindService, ProcessPrivileges.NetAdmin, ProcessPrivileges.NetRaw];

    /// <summary>The capability mask the gateway keeps (CapEff/CapPrm/CapBnd after the drop): 0x3400.</summary>
    public static ulong KeptMask => Kept.Aggregate(0UL, (mask, bit) => mask | (1UL << bit));

    /// <summary>
    /// Drops and re-executes when running as root (does not return then). Returns null when there is nothing to drop (not
    /// root, already dropped, or lacking one of the three), else why it could not (the process must then stop: it may be half-changed).
    /// </summary>
    /// <param name="user">--user; null takes <see cref="DefaultUser"/> when it owns <paramref name="configPath"/> (the
    /// package's layout), else the process stays uid 0: a root-owned 0600 file would be unreadable to that user.</param>
    /// <param name="configPath">The configuration file, which the new user must be able to read and replace.</param>
    /// <param name="stateDirectory">The state directory, which the new user must be able to write when it exists.</param>
    public static string? ReexecuteWithGatewayCapabilities(string? user, string configPath, string stateDirectory)
    {
        if (Dropped)
        {
            return null;
        }

        if (!ProcessPrivileges.IsRoot)
        {
            // Only root can become another user: --user naming someone else is refused, not ignored.
            return user is null || Lookup(user)?.Uid == ProcessPrivileges.EffectiveUserId
                ? null
                : $"--user {user} needs a start as root (running as uid {ProcessPrivileges.EffectiveUserId})";
        }

        // Without the three there is nothing to keep; the caller's capability check then says which are missing.
        if (ProcessPrivileges.MissingGatewayCapabilities().Count > 0)
        {
            return null;
        }

        (uint Uid, uint Gid)? target = null;
        if (user is not null)
        {
            target = Lookup(user);
            if (target is null)
            {
                return $"user '{user}' does not exist";
            }
        }
        else if (Lookup(DefaultUser) is { } packageUser && OwnerOf(configPath) == packageUser.Uid)
        {
            target = packageUser;
            user = DefaultUser;
        }

        return DropBoundingSet()
            ?? (target is { } who ? SwitchUser(who.Uid, who.Gid) ?? CheckAccess(user!, configPath, stateDirectory) : null)
            ?? SetCapabilities()
            ?? Reexecute();
    }

    /// <summary>True in the process started again by <see cref="ReexecuteWithGatewayCapabilities"/>.</summary>
    public static bool Dropped => Environment.GetEnvironmentVariable(DroppedVariable) == "1";

    private static (uint Uid, uint Gid)? Lookup(string name)
    {
        PrivilegeCalls.Passwd entry;
        PrivilegeCalls.Passwd* result;
        var buffer = stackalloc byte[4096];
        return PrivilegeCalls.GetPasswordEntry(name, &entry, buffer, 4096, &result) == 0 && result is not null ? (entry.Uid, entry.Gid) : null;
    }

    private static uint? OwnerOf(string path)
    {
        PrivilegeCalls.StatxHead status;
        return PrivilegeCalls.Statx(PrivilegeCalls.AtFdCwd, path, 0, PrivilegeCalls.StatxBasicStats, &status) == 0 ? status.Uid : null;
    }

    /// <summary>
    /// After the switch (access(2) answers for the real uid): the gateway reads the configuration and saves changes by
    /// writing a new file beside it, and keeps its event log and revisions in the state directory. Refusing here names
    /// the path, instead of a bare permission error later.
    /// </summary>
    private static string? CheckAccess(string user, string configPath, string stateDirectory)
    {
        const int readWrite = PrivilegeCalls.WriteAccess | PrivilegeCalls.ExecuteAccess;
        if (PrivilegeCalls.Access(configPath, PrivilegeCalls.ReadAccess) != 0)
        {
            return $"user '{user}' cannot read the configuration file {configPath}";
        }

        var configDirectory = Path.GetDirectoryName(Path.GetFullPath(configPath)) ?? "/";
        if (PrivilegeCalls.Access(configDirectory, readWrite) != 0)
        {
            return $"user '{user}' cannot write the configuration directory {configDirectory} (changes are saved there)";
        }

        return Directory.Exists(stateDirectory) && PrivilegeCalls.Access(stateDirectory, readWrite) != 0
            ? $"user '{user}' cannot write the state directory {stateDirectory}"
            : null;
    }

    private static string? DropBoundingSet()
    {
        var last = int.TryParse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim(), CultureInfo.InvariantCulture, out var value) ? value : 40;
        for (var capability = 0; capability <= last; capability++)
        {
            if (!Kept.Contains(capability) && PrivilegeCalls.Prctl(PrivilegeCalls.PrCapBoundingDrop, (nuint)capability, 0, 0, 0) != 0)
            {
                return Failed($"dropping capability {capability} from the bounding set");
            }
        }

        return null;
    }

    private static string? SwitchUser(uint uid, uint gid)
    {
        // Keep the permitted set across the uid change (on this thread; the others stop at execve).
        if (PrivilegeCalls.Prctl(PrivilegeCalls.PrSetKeepCaps, 1, 0, 0, 0) != 0)
        {
            return Failed("PR_SET_KEEPCAPS");
        }

        var groups = stackalloc uint[1];
        groups[0] = gid;
        if (PrivilegeCalls.SetGroups(1, groups) != 0 || PrivilegeCalls.SetResGid(gid, gid, gid) != 0)
        {
            return Failed($"switching to group {gid}");
        }

        return PrivilegeCalls.SetResUid(uid, uid, uid) != 0 ? Failed($"switching to user {uid}") : null;
    }

    private static string? SetCapabilities()
    {
        var header = new PrivilegeCalls.CapabilityHeader { Version = PrivilegeCalls.CapabilityVersion3, Pid = 0 };
        var data = stackalloc PrivilegeCalls.CapabilityData[2];
        var mask = (uint)KeptMask;
        data[0] = new PrivilegeCalls.CapabilityData { Effective = mask, Permitted = mask, Inheritable = mask };
        data[1] = default;
        if (PrivilegeCalls.CapabilitySet(&header, data) != 0)
        {
            return Failed("capset");
        }

        foreach (var capability in Kept)
        {
            if (PrivilegeCalls.Prctl(PrivilegeCalls.PrCapAmbient, PrivilegeCalls.PrCapAmbientRaise, (nuint)capability, 0, 0) != 0)
            {
                return Failed($"raising ambient capability {capability}");
            }
        }

        return null;
    }

    /// <summary>execve of /proc/self/exe with the same argv (from /proc/self/cmdline) and the environment plus the marker.</summary>
    private static string? Reexecute()
    {
        var arguments = new List<byte[]>();
        var cmdline = File.ReadAllBytes("/proc/self/cmdline").AsSpan();
        while (cmdline.Length > 0)
        {
            var end = cmdline.IndexOf((byte)0);
            arguments.Add(cmdline[..(end < 0 ? cmdline.Length : end)].ToArray());
            cmdline = end < 0 ? [] : cmdline[(end + 1)..];
        }

        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .Where(e => (string)e.Key != DroppedVariable)
            .Select(e => Encoding.UTF8.GetBytes($"{e.Key}={e.Value}"))
            .Append(Encoding.UTF8.GetBytes($"{DroppedVariable}=1"))
            .ToList();
        var argv = ToNative(arguments);
        var envp = ToNative(environment);
        RemoveDiagnosticsSocket();
        PrivilegeCalls.Execute("/proc/self/exe", argv, envp);
        return Failed("executing the gateway again with the reduced privileges");
    }

    /// <summary>
    /// The runtime's diagnostics socket is named by process id and start time, which execve keeps: the runtime started
    /// again finds this one's file in place, cannot listen under that name, and dotnet-counters, dotnet-trace and
    /// dotnet-gcdump are refused. Nothing listens on it after execve anyway.
    /// </summary>
    private static void RemoveDiagnosticsSocket()
    {
        var directory = Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } tmp ? tmp : "/tmp";
        try
        {
            foreach (var socket in Directory.EnumerateFiles(directory, $"dotnet-diagnostic-{Environment.ProcessId}-*-socket"))
            {
                File.Delete(socket);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only the diagnostics tools lose: the gateway runs the same without them.
        }
    }

    private static byte** ToNative(List<byte[]> strings)
    {
        var array = (byte**)NativeMemory.Alloc((nuint)(strings.Count + 1), (nuint)sizeof(byte*));
        for (var i = 0; i < strings.Count; i++)
        {
            var text = (byte*)NativeMemory.Alloc((nuint)strings[i].Length + 1);
            strings[i].CopyTo(new Span<byte>(text, strings[i].Length));
            text[strings[i].Length] = 0;
            array[i] = text;
        }

        array[strings.Count] = null;
        return array;
    }

    private static string Failed(string what) => $"{what} failed: errno {Marshal.GetLastPInvokeError()}";
}
