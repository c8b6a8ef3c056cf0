using System;

namespace IncrementalPS.Core;

/// <summary>
/// The engine refuses an item's key it could not record faithfully (empty, not valid Unicode, or one the store cannot
/// hold): that item's error, before anything is recorded for it. An <see cref="ArgumentException"/> for the key
/// parameter, whose message is the reason alone, without the runtime's "(Parameter 'key')", for front ends to show.
/// </summary>
internal sealed class ItemKeyRefusedException : ArgumentException
{
    private readonly string _reason;

    internal ItemKeyRefusedException(string reason, string parameterName)
        : base(reason, parameterName)
    {
        _reason = reason;
    }

    /// <inheritdoc/>
    public override string Message => _reason;
}
