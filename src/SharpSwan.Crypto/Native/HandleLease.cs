using System.Runtime.InteropServices;

namespace SharpSwan.Crypto.Native;

/// <summary>
/// Keeps a safe handle from being released while native code uses its raw pointer (one packet's calls): a stack-only
/// lease, so the per-packet path allocates nothing.
/// </summary>
internal ref struct HandleLease
{
    private readonly SafeHandle _handle;
    private bool _added;

    public HandleLease(SafeHandle handle)
    {
        _handle = handle;
        handle.DangerousAddRef(ref _added);
    }

    /// <summary>The raw handle, valid until <see cref="Dispose"/>.</summary>
    public readonly nint Pointer => _handle.DangerousGetHandle();

    public void Dispose()
    {
        if (_added)
        {
            _added = false;
            _handle.DangerousRelease();
        }
    }
}
