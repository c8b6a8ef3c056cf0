using System;
using System.Runtime.InteropServices;
using IncrementalPS.Core;
using Xunit;

namespace IncrementalPS.Core.Tests.Platform;

/// <summary>
/// A rewritten checkpoint on Windows sets its DACL only where the old one had entries of its own: a DACL that only
/// inherits is already what the new file gets, and setting it would need a right that hardened shares withhold. The
/// ACL is read in its documented binary layout, built here by hand (there is no Windows to ask).
/// </summary>
public sealed class WindowsFileSecurityTests
{
    private const byte AccessAllowed = 0x0;
    private const byte InheritedAce = 0x10;
    private const byte ObjectInherit = 0x1;

    [Fact]
    public void An_acl_of_inherited_entries_only_has_no_explicit_entries()
        => Assert.False(WithAcl([InheritedAce, InheritedAce | ObjectInherit], WindowsFileSecurity.HasExplicitEntries));

    [Fact]
    public void An_entry_set_on_the_file_itself_is_found_after_inherited_ones()
        => Assert.True(WithAcl([InheritedAce, InheritedAce, ObjectInherit], WindowsFileSecurity.HasExplicitEntries));

    [Fact]
    public void An_empty_acl_has_no_explicit_entries()
        => Assert.False(WithAcl([], WindowsFileSecurity.HasExplicitEntries));

    // winnt.h: ACL { BYTE AclRevision; BYTE Sbz1; WORD AclSize; WORD AceCount; WORD Sbz2; } then the entries, each an
    // ACE_HEADER { BYTE AceType; BYTE AceFlags; WORD AceSize; } followed by its body (here an ACCESS_ALLOWED_ACE body of
    // a mask and a 12-byte SID, of varying sizes so that the walk must follow AceSize).
    private static bool WithAcl(byte[] aceFlags, Func<IntPtr, bool> read)
    {
        var sizes = new int[aceFlags.Length];
        var total = 8;
        for (var i = 0; i < aceFlags.Length; i++)
        {
            sizes[i] = 4 + 4 + 12 + (4 * (i % 3));
            total += sizes[i];
        }

        var acl = Marshal.AllocHGlobal(total);
        try
        {
            var bytes = new byte[total];
            bytes[0] = 2;
            BitConverter.GetBytes((ushort)total).CopyTo(bytes, 2);
            BitConverter.GetBytes((ushort)aceFlags.Length).CopyTo(bytes, 4);
            var offset = 8;
            for (var i = 0; i < aceFlags.Length; i++)
            {
                bytes[offset] = AccessAllowed;
                bytes[offset + 1] = aceFlags[i];
                BitConverter.GetBytes((ushort)sizes[i]).CopyTo(bytes, offset + 2);
                offset += sizes[i];
            }

            Marshal.Copy(bytes, 0, acl, total);
            return read(acl);
        }
        finally
        {
            Marshal.FreeHGlobal(acl);
        }
    }
}
