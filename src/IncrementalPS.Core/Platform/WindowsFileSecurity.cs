using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;

namespace IncrementalPS.Core;

/// <summary>
/// Gives a file the discretionary ACL of another on Windows, so that a rewritten checkpoint keeps who may read it.
/// A rewrite is a new file renamed over the old one with MoveFileEx, and a new file takes the ACL its folder passes
/// down: a checkpoint its owner made private would become readable by whoever may read the folder.
/// </summary>
/// <remarks>
/// The DACL is copied with its protection: a protected DACL (inheritance turned off) stays exactly as it was; an
/// unprotected one keeps its explicit entries and takes the folder's inheritable ones again, as the old file did. An
/// unprotected DACL with inherited entries only, the common case, is not set at all: the new file already inherits
/// the same, and setting it would need WRITE_DAC, which shares hardened with an "OWNER RIGHTS" entry do not grant. A
/// NULL DACL (everyone may do anything) is not copied either: the inherited one is never more open. The
/// owner is not copied: only a process holding SeRestorePrivilege may name another owner, and the writer of a
/// checkpoint is normally its owner. Windows only; compiled on every platform, run on none here.
/// </remarks>
internal static class WindowsFileSecurity
{
    // AccCtrl.h SE_OBJECT_TYPE
    private const int SeFileObject = 1;

    // winnt.h SECURITY_INFORMATION and SECURITY_DESCRIPTOR_CONTROL
    private const uint DaclSecurityInformation = 0x00000004;
    private const uint ProtectedDaclSecurityInformation = 0x80000000;
    private const uint UnprotectedDaclSecurityInformation = 0x20000000;
    private const ushort SeDaclProtected = 0x1000;
    private const byte InheritedAce = 0x10;

    // winerror.h: what a file system without ACLs (FAT, some shares) answers. Nothing to keep there.
    private const int ErrorInvalidFunction = 1;
    private const int ErrorAccessDenied = 5;
    private const int ErrorNotSupported = 50;

    /// <summary>Gives <paramref name="replacement"/> the DACL of <paramref name="original"/>.</summary>
    /// <exception cref="UnauthorizedAccessException">The ACL could not be read or set for lack of rights.</exception>
    /// <exception cref="IOException">Any other failure, with the Win32 error as HResult.</exception>
    public static void CopyAccessRules(string original, string replacement)
    {
        var error = GetNamedSecurityInfo(
            WindowsFileMove.Extended(original), SeFileObject, DaclSecurityInformation, IntPtr.Zero, IntPtr.Zero, out var dacl, IntPtr.Zero, out var descriptor);
        if (error is ErrorNotSupported or ErrorInvalidFunction)
        {
            return;
        }

        if (error != 0)
        {
            throw ErrorFor(error, $"Could not read the permissions of '{original}' to keep them when it is rewritten");
        }

        try
        {
            if (!GetSecurityDescriptorControl(descriptor, out var control, out _))
            {
                throw ErrorFor(Marshal.GetLastWin32Error(), $"Could not read the permissions of '{original}' to keep them when it is rewritten");
            }

            var isProtected = (control & SeDaclProtected) != 0;
            if (dacl == IntPtr.Zero || (!isProtected && !HasExplicitEntries(dacl)))
            {
                return;
            }

            var protection = isProtected ? ProtectedDaclSecurityInformation : UnprotectedDaclSecurityInformation;
            error = SetNamedSecurityInfo(
                WindowsFileMove.Extended(replacement), SeFileObject, DaclSecurityInformation | protection, IntPtr.Zero, IntPtr.Zero, dacl, IntPtr.Zero);
            if (error is not (0 or ErrorNotSupported or ErrorInvalidFunction))
            {
                throw ErrorFor(error, $"Could not give the rewritten '{original}' its permissions back, so it was left as it was");
            }
        }
        finally
        {
            // The DACL points into the descriptor: one free releases both.
            LocalFree(descriptor);
        }
    }

    /// <summary>
    /// Whether the ACL holds an entry set on the file itself rather than inherited. Layout (winnt.h): an 8-byte ACL
    /// header (revision, padding, AclSize as WORD at 2, AceCount as WORD at 4), then the entries one after another,
    /// each starting with an ACE_HEADER (AceType byte, AceFlags byte, AceSize WORD).
    /// </summary>
    internal static bool HasExplicitEntries(IntPtr acl)
    {
        var count = (ushort)Marshal.ReadInt16(acl, 4);
        var offset = 8;
        for (var i = 0; i < count; i++)
        {
            var flags = Marshal.ReadByte(acl, offset + 1);
            if ((flags & InheritedAce) == 0)
            {
                return true;
            }

            offset += (ushort)Marshal.ReadInt16(acl, offset + 2);
        }

        return false;
    }

    private static Exception ErrorFor(int error, string what)
    {
        var message = $"{what}: {new Win32Exception(error).Message} (Win32 error {error}).";
        return error == ErrorAccessDenied
            ? new UnauthorizedAccessException(message)
            : new IOException(message, WindowsFileMove.HResultOf(error));
    }

    // SYSLIB1054: LibraryImport would need unsafe code; the netstandard2.0 build has only DllImport anyway.
#pragma warning disable SYSLIB1054
    // DWORD GetNamedSecurityInfoW(LPCWSTR pObjectName, SE_OBJECT_TYPE ObjectType, SECURITY_INFORMATION SecurityInfo,
    //   PSID *ppsidOwner, PSID *ppsidGroup, PACL *ppDacl, PACL *ppSacl, PSECURITY_DESCRIPTOR *ppSecurityDescriptor);
    // Returns the error code itself; the descriptor is freed with LocalFree.
    [DllImport("advapi32.dll", EntryPoint = "GetNamedSecurityInfoW", CharSet = CharSet.Unicode, ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    private static extern int GetNamedSecurityInfo(
        string objectName, int objectType, uint securityInfo, IntPtr owner, IntPtr group, out IntPtr dacl, IntPtr sacl, out IntPtr securityDescriptor);

    // DWORD SetNamedSecurityInfoW(LPWSTR pObjectName, SE_OBJECT_TYPE ObjectType, SECURITY_INFORMATION SecurityInfo,
    //   PSID psidOwner, PSID psidGroup, PACL pDacl, PACL pSacl);
    [DllImport("advapi32.dll", EntryPoint = "SetNamedSecurityInfoW", CharSet = CharSet.Unicode, ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    private static extern int SetNamedSecurityInfo(
        string objectName, int objectType, uint securityInfo, IntPtr owner, IntPtr group, IntPtr dacl, IntPtr sacl);

    // BOOL GetSecurityDescriptorControl(PSECURITY_DESCRIPTOR pSecurityDescriptor, PSECURITY_DESCRIPTOR_CONTROL pControl,
    //   LPDWORD lpdwRevision);
    [DllImport("advapi32.dll", ExactSpelling = true, SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool GetSecurityDescriptorControl(IntPtr securityDescriptor, out ushort control, out uint revision);

    // HLOCAL LocalFree(HLOCAL hMem);
    [DllImport("kernel32.dll", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    private static extern IntPtr LocalFree(IntPtr memory);
#pragma warning restore SYSLIB1054
}
