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
public sealed class SingleWriterGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private readonly SemaphoreSlim _writer = new(1, 1);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await _writer.WaitAsync();
        try
        {
            await inner.WriteStateAsync(stateName, grainId, grainState);
        }
        finally
        {
            _writer.Release();
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await _writer.WaitAsync();
        try
        {
            await inner.ClearStateAsync(stateName, grainId, grainState);
        }
        finally
        {
            _writer.Release();
        }
    }
}
