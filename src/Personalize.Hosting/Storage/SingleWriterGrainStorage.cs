using System.Diagnostics;
using Orleans.Runtime;
using Orleans.Storage;

namespace Personalize.Hosting.Storage;

/// <summary>
/// Lets one grain state write at a time reach SQLite, which has one writer per database anyway. Two
/// concurrent writes on two pooled connections make the second one meet SQLITE_BUSY, and
/// Microsoft.Data.Sqlite answers that by putting the thread to sleep (<c>Thread.Sleep(150)</c>) and
/// retrying: under load most silo threads slept there (profile in loadtests/README.md). Reads pass
/// straight through: in WAL mode they never wait for the writer.
/// </summary>
/// <remarks>
/// <para>
/// A write that finds the writer idle runs at once on its caller's thread, as a plain lock would let it.
/// A write that finds it busy is queued, and the queue is drained by one dedicated writer thread, back to
/// back. What this avoids is the hand-off of a lock between awaiting grains: each hand-off resumes the next
/// grain's turn through the thread pool, and the writer sits idle for that whole queue trip. Under load
/// that idle gap was longer than the write itself, so the queue saturated while the writer was busy under
/// half the time (<see cref="PersonalizeMetrics"/> write histograms: at 1,500 events/s, writes of ~1 ms
/// waited ~400 ms on average with the writer idle 59 % of the time; loadtests/README.md).
/// </para>
/// <para>
/// Queued writes a caller is waiting on (an event being answered, and its push) go before queued writes
/// marked <see cref="DeferrableWrites"/> (lazy flushes of click-only changes). Those come due in waves, every
/// shopper that browsed in the same second at once, and in one queue a basket change waited behind
/// hundreds of them.
/// </para>
/// <para>
/// The writer thread runs each write to completion (Microsoft.Data.Sqlite does its I/O synchronously) and
/// then completes the grain's task with continuations run asynchronously: the grains resume on their own
/// schedulers, in parallel, and the writer goes straight on to the next write.
/// </para>
/// <para>
/// Given a <see cref="StateSnapshotSerializer"/> (the provider's serializer), a state is serialized when its
/// write is asked for, by the asking grain, and the writer only stores the bytes: the state as it was at that
/// call, which is what the caller asked to store. The bytes may sit in an array lent by the shared pool;
/// <see cref="StateSnapshotSerializer.WriteWith"/> gives it back once the write is done.
/// </para>
/// </remarks>
public sealed class SingleWriterGrainStorage : IGrainStorage, IDisposable
{
    private readonly IGrainStorage _inner;
    private readonly PersonalizeMetrics? _metrics;
    private readonly StateSnapshotSerializer? _snapshots;
    private readonly Lock _gate = new();
    private readonly Queue<QueuedWrite> _queue = new();
    // Writes no caller waits for (DeferrableWrites: lazy click flushes) go after every write a caller waits on.
    private readonly Queue<QueuedWrite> _deferred = new();
    private readonly SemaphoreSlim _drain = new(0);
    private readonly Thread _writer;
    // True from the moment a write starts until the queue is found empty after it: whoever sets it owns SQLite.
    private bool _busy;
    private bool _disposed;

    public SingleWriterGrainStorage(IGrainStorage inner, PersonalizeMetrics? metrics = null, StateSnapshotSerializer? snapshots = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _metrics = metrics;
        _snapshots = snapshots;
        _writer = new Thread(DrainLoop) { IsBackground = true, Name = "Personalize SQLite writer" };
        _writer.Start();
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_snapshots is not { } snapshots) return OneAtATime(() => _inner.WriteStateAsync(stateName, grainId, grainState));
        StateBytes bytes;
        try
        {
            bytes = snapshots.Take(grainState.State);
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
        return OneAtATime(() => snapshots.WriteWith(grainState.State, bytes, () => _inner.WriteStateAsync(stateName, grainId, grainState)));
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        OneAtATime(() => _inner.ClearStateAsync(stateName, grainId, grainState));

    /// <summary>
    /// Runs another write to the same database (a reminder row) in turn with the grain state writes, so it
    /// neither meets SQLITE_BUSY nor makes one of them meet it.
    /// </summary>
    public Task RunWriteAsync(Func<Task> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return OneAtATime(write);
    }

    /// <summary>Stops the writer thread once the writes already queued are written.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            // A busy writer still has writes to finish; the last of them lets the thread go.
            if (_busy) return;
        }
        _drain.Release();
    }

    private Task OneAtATime(Func<Task> write)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_busy)
            {
                var queued = new QueuedWrite(write, DeferrableWrites.IsMarked);
                (queued.Deferred ? _deferred : _queue).Enqueue(queued);
                return queued.Done.Task;
            }
            _busy = true;
        }

        var started = Stopwatch.GetTimestamp();
        Task written;
        try
        {
            written = write();
        }
        catch (Exception ex)
        {
            written = Task.FromException(ex);
        }
        if (written.IsCompleted)
        {
            Record(started, started, DeferrableWrites.IsMarked);
            PassOn();
            return written;
        }
        return FinishAsync(written, started);
    }

    private async Task FinishAsync(Task written, long started)
    {
        try
        {
            await written.ConfigureAwait(false);
        }
        finally
        {
            Record(started, started, DeferrableWrites.IsMarked);
            PassOn();
        }
    }

    /// <summary>After a write on a caller's thread: the writer thread takes over if writes queued meanwhile.</summary>
    private void PassOn()
    {
        lock (_gate)
        {
            if (_queue.Count == 0 && _deferred.Count == 0)
            {
                _busy = false;
                if (!_disposed) return;
            }
        }
        // Queued writes for the writer thread to drain, or (disposed, nothing queued) the word to stop.
        _drain.Release();
    }

    private void DrainLoop()
    {
        while (true)
        {
            // Blocking is the point: this thread is the writer and nothing else; it sleeps only when told nothing.
            _drain.Wait();
            for (var drained = 0; ; drained++)
            {
                QueuedWrite write;
                lock (_gate)
                {
                    if (!_queue.TryDequeue(out write!) && !_deferred.TryDequeue(out write!))
                    {
                        if (_disposed) return;
                        // Woken with nothing queued only to stop; otherwise the queue is done and so is this turn.
                        if (drained == 0) break;
                        _busy = false;
                        break;
                    }
                }
                var started = Stopwatch.GetTimestamp();
                try
                {
                    write.Run().GetAwaiter().GetResult();
                    write.Done.SetResult();
                }
                catch (Exception ex)
                {
                    write.Done.SetException(ex);
                }
                Record(write.QueuedAt, started, write.Deferred);
            }
        }
    }

    private void Record(long queued, long started, bool deferred)
    {
        if (_metrics is null) return;
        _metrics.StorageWriteWait.Record(Stopwatch.GetElapsedTime(queued, started).TotalMilliseconds,
            new KeyValuePair<string, object?>(PersonalizeMetrics.DeferredTag, deferred));
        _metrics.StorageWriteDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private sealed class QueuedWrite(Func<Task> run, bool deferred)
    {
        public bool Deferred { get; } = deferred;
        public Func<Task> Run { get; } = run;
        public long QueuedAt { get; } = Stopwatch.GetTimestamp();
        /// <summary>Continuations run on their own schedulers (the grains'), never on the writer thread.</summary>
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
