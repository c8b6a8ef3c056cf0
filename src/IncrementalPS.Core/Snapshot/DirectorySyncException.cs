using System.IO;

namespace IncrementalPS.Core;

/// <summary>
/// The rename before it happened, but the directory could not be flushed to disk: the new file is in place and is what
/// readers see, yet a power failure could bring the old name back. A caller must not treat the replace as undone.
/// </summary>
internal sealed class DirectorySyncException : IOException
{
    public DirectorySyncException(string message)
        : base(message)
    {
    }
}
