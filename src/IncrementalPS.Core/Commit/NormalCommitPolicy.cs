using System;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace IncrementalPS.Core;

/// <summary>
/// <see cref="Durability.Normal"/>: a record reaches the operating system when it is appended (it survives the process
/// being killed); a timer flushes the journal to disk about once a second, which bounds what a power failure can take.
/// </summary>
internal sealed class NormalCommitPolicy : CommitPolicy
{
    private static readonly TimeSpan s_period = TimeSpan.FromSeconds(1);
    private readonly Func<IJournalAppender?> _currentLog;
    private readonly Timer _timer;
    private ExceptionDispatchInfo? _failure;

    public NormalCommitPolicy(Func<IJournalAppender?> currentLog)
    {
        _currentLog = currentLog;
        _timer = new Timer(_ => Flush(), null, s_period, s_period);
    }

    public override void RecordAppended(IDurableLog log, long end)
    {
    }

    public override void WaitDurable(in CommitPoint point)
    {
    }

    public override void ThrowIfFailed() => Volatile.Read(ref _failure)?.Throw();

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    private void Flush()
    {
        if (Volatile.Read(ref _failure) is not null)
        {
            return;
        }

        try
        {
            // Not under the session's lock: items go on being recorded while the disk catches up.
            _currentLog()?.FlushToDisk();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A timer thread must not throw; the run reports it before its next item instead.
            Volatile.Write(ref _failure, ExceptionDispatchInfo.Capture(ex));
        }
    }
}
