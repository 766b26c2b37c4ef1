using System.Collections.Concurrent;
using Orleans.Storage;

namespace Personalize.Grains.Tests;

/// <summary>
/// Memory storage that refuses the next write of a chosen grain, as a database outage would, and counts
/// the writes that reached storage per grain key.
/// </summary>
public sealed class FaultyStorage(IGrainStorage inner) : IGrainStorage
{
    public const string Inner = "inner";
    private static readonly ConcurrentDictionary<string, int> FailNextWrites = new();
    private static readonly ConcurrentDictionary<string, int> StoredWrites = new();

    /// <summary>How many writes of the grain whose key is <paramref name="key"/> were stored so far.</summary>
    public static int Writes(string key) => StoredWrites.GetValueOrDefault(key);

    /// <summary>The next <paramref name="count"/> writes of the grain whose key is <paramref name="key"/> fail.</summary>
    public static void FailWrites(string key, int count = 1) => FailNextWrites[key] = count;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = grainId.Key.ToString()!;
        if (FailNextWrites.TryGetValue(key, out var left) && left > 0)
        {
            FailNextWrites[key] = left - 1;
            throw new InvalidOperationException("storage unavailable (injected)");
        }
        return CountedWriteAsync(key, stateName, grainId, grainState);
    }

    private async Task CountedWriteAsync<T>(string key, string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await inner.WriteStateAsync(stateName, grainId, grainState);
        StoredWrites.AddOrUpdate(key, 1, (_, n) => n + 1);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
