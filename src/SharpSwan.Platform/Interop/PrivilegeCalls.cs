using System.Runtime.InteropServices;

namespace SharpSwan.Platform.Interop;

/// <summary>The libc calls that change who the process is and what it may do (capabilities(7), prctl(2), execve(2)).</summary>
internal static unsafe partial class PrivilegeCalls
{
    public const int PrSetKeepCaps = 8;
    public const int PrCapBoundingDrop = 24;
    public const int PrCapAmbient = 47;
    public const int PrCapAmbientRaise = 2;

    /// <summary>_LINUX_CAPABILITY_VERSION_3: two 32-bit words per set.</summary>
    public const uint CapabilityVersion3 = 0x20080522;

    [StructLayout(LayoutKind.Sequential)]
    public struct CapabilityHeader
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct CapabilityData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Passwd
    {
        public byte* Name;
        public byte* Password;
        public uint Uid;
        public uint Gid;
        public byte* Gecos;
        public byte* Directory;
        public byte* Shell;
    }

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    public static partial int Prctl(int option, nuint argument2, nuint argument3, nuint argument4, nuint argument5);

    [LibraryImport("libc", EntryPoint = "capset", SetLastError = true)]
    public static partial int CapabilitySet(CapabilityHeader* header, CapabilityData* data);

    // glibc applies these to every thread of the process (its setxid broadcast), not only to the caller.
    [LibraryImport("libc", EntryPoint = "setresuid", SetLastError = true)]
    public static partial int SetResUid(uint real, uint effective, uint saved);

    [LibraryImport("libc", EntryPoint = "setresgid", SetLastError = true)]
    public static partial int SetResGid(uint real, uint effective, uint saved);

    [LibraryImport("libc", EntryPoint = "setgroups", SetLastError = true)]
    public static partial int SetGroups(nuint count, uint* groups);

    [LibraryImport("libc", EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int GetPasswordEntry(string name, Passwd* entry, byte* buffer, nuint bufferLength, Passwd** result);

    public const int AtFdCwd = -100;
    public const uint StatxBasicStats = 0x7ff;
    public const int ReadAccess = 4;
    public const int WriteAccess = 2;
    public const int ExecuteAccess = 1;

    /// <summary>The start of struct statx, whose layout (unlike struct stat) is the same on every architecture.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    public struct StatxHead
    {
        public uint Mask;
        public uint BlockSize;
        public ulong Attributes;
        public uint LinkCount;
        public uint Uid;
        public uint Gid;
        public ushort Mode;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statx(int directoryFd, string path, int flags, uint mask, StatxHead* result);

    // Checked against the real uid/gid, so after the switch it answers for the new user.
    [LibraryImport("libc", EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Access(string path, int mode);

    [LibraryImport("libc", EntryPoint = "execve", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Execute(string path, byte** arguments, byte** environment);
}
