using System.Diagnostics;
using System.Threading.Channels;
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
/// Writes are queued to one dedicated writer thread, not handed from one awaiting grain to the next
/// through a lock. With a lock, each hand-off resumes the next grain's turn through the thread pool,
/// and the writer sits idle for that whole queue trip: under load a 0.5 ms write waited ~95 ms for its
/// turn while the writer was busy a quarter of the time (the <see cref="PersonalizeMetrics"/> write
/// histograms showed it). The writer thread runs each write to completion (Microsoft.Data.Sqlite does its
/// I/O synchronously) and only then completes the grain's task, so the grains resume in parallel and the
/// writer goes straight to the next write.
/// </remarks>
public sealed class SingleWriterGrainStorage : IGrainStorage, IDisposable
{
    private readonly IGrainStorage _inner;
    private readonly PersonalizeMetrics? _metrics;
    private readonly Channel<QueuedWrite> _queue = Channel.CreateUnbounded<QueuedWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _writer;

    public SingleWriterGrainStorage(IGrainStorage inner, PersonalizeMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _metrics = metrics;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "Personalize SQLite writer" };
        _writer.Start();
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Enqueue(() => _inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Enqueue(() => _inner.ClearStateAsync(stateName, grainId, grainState));

    /// <summary>Stops taking writes; the ones queued are still written.</summary>
    public void Dispose() => _queue.Writer.TryComplete();

    private Task Enqueue(Func<Task> write)
    {
        var queued = new QueuedWrite(write);
        if (!_queue.Writer.TryWrite(queued)) throw new ObjectDisposedException(nameof(SingleWriterGrainStorage), "grain storage is shutting down");
        return queued.Done.Task;
    }

    private void WriteLoop()
    {
        var reader = _queue.Reader;
        // Blocking is the point: this thread is the writer and nothing else; it waits only when there is nothing to write.
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var write))
            {
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
                _metrics?.StorageWriteWait.Record(Stopwatch.GetElapsedTime(write.QueuedAt, started).TotalMilliseconds);
                _metrics?.StorageWriteDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }

    private sealed class QueuedWrite(Func<Task> run)
    {
        public Func<Task> Run { get; } = run;
        public long QueuedAt { get; } = Stopwatch.GetTimestamp();
        /// <summary>Continuations run on their own schedulers (the grain's), never on the writer thread.</summary>
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
