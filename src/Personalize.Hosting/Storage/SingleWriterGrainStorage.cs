using System.Diagnostics;
using Orleans.Runtime;
using Orleans.Storage;

namespace Personalize.Hosting.Storage;

/// <summary>
/// Lets one grain state write at a time reach SQLite, which has one writer per database anyway. Two
/// concurrent writes on two pooled connections make the second one meet SQLITE_BUSY, and
/// Microsoft.Data.Sqlite answers that by putting the thread to sleep (<c>Thread.Sleep(150)</c>) and
/// retrying: under load most silo threads slept there (profile in loadtests/README.md). Queued here,
/// a waiting write costs no thread, and the write that runs never meets a lock held by another. Reads
/// pass straight through: in WAL mode they never wait for the writer.
/// </summary>
/// <remarks>
/// How long writes wait for their turn and take once it comes are <see cref="PersonalizeMetrics"/>
/// histograms (<c>personalize_storage_write_wait</c>, <c>personalize_storage_write_duration</c>): under a
/// hot-path load at half capacity a write took ~0.5 ms and waited tens of milliseconds for its turn, which
/// is where a push's time goes (loadtests/README.md).
/// </remarks>
public sealed class SingleWriterGrainStorage(IGrainStorage inner, PersonalizeMetrics? metrics = null) : IGrainStorage
{
    private readonly SemaphoreSlim _writer = new(1, 1);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        OneAtATimeAsync(() => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        OneAtATimeAsync(() => inner.ClearStateAsync(stateName, grainId, grainState));

    private async Task OneAtATimeAsync(Func<Task> write)
    {
        var queued = Stopwatch.GetTimestamp();
        await _writer.WaitAsync();
        var started = Stopwatch.GetTimestamp();
        try
        {
            await write();
        }
        finally
        {
            _writer.Release();
            metrics?.StorageWriteWait.Record(Stopwatch.GetElapsedTime(queued, started).TotalMilliseconds);
            metrics?.StorageWriteDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
