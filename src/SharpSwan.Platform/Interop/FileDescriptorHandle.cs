using System.Runtime.InteropServices;

namespace SharpSwan.Platform.Interop;

/// <summary>
/// Owns a file descriptor. Going through SafeHandle reference counting means a descriptor is closed
/// only after every in-flight poll/read/write on it has returned, so its number is never reused under
/// a thread that is still using it.
/// </summary>
internal sealed class FileDescriptorHandle : SafeHandle
{
    public FileDescriptorHandle(int fd)
        : base(new IntPtr(-1), ownsHandle: true)
    {
        SetHandle(new IntPtr(fd));
    }

    public override bool IsInvalid => handle.ToInt64() < 0;

    public int Descriptor => (int)handle.ToInt64();

    /// <summary>
    /// Adds one to an eventfd's counter, waking whoever polls it. A handle already disposed is left alone: nobody waits
    /// on it any more.
    /// </summary>
    public unsafe void Signal()
    {
        bool referenced = false;
        try
        {
            DangerousAddRef(ref referenced);
            ulong one = 1;
            LibC.Write(Descriptor, (byte*)&one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (referenced)
            {
                DangerousRelease();
            }
        }
    }

    protected override bool ReleaseHandle() => LibC.Close(Descriptor) == 0;
}
