using System.Collections.Concurrent;
using Orleans.Storage;

namespace Personalize.Grains.Tests;

/// <summary>
/// Memory storage that refuses the next write of a chosen grain, as a database outage would, holds the
/// writes of chosen grains until released, as a slow database would, and counts the writes that reached
/// storage per grain key.
/// </summary>
public sealed class FaultyStorage(IGrainStorage inner) : IGrainStorage
{
    public const string Inner = "inner";
    private static readonly ConcurrentDictionary<string, int> FailNextWrites = new();
    private static readonly ConcurrentDictionary<string, int> StoredWrites = new();
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Holds = new();
    private static readonly ConcurrentDictionary<string, int> HeldWrites = new();

    /// <summary>How many writes of the grain whose key is <paramref name="key"/> were stored so far.</summary>
    public static int Writes(string key) => StoredWrites.GetValueOrDefault(key);

    /// <summary>The next <paramref name="count"/> writes of the grain whose key is <paramref name="key"/> fail.</summary>
    public static void FailWrites(string key, int count = 1) => FailNextWrites[key] = count;

    /// <summary>Writes of the grain whose key is <paramref name="key"/> wait until <see cref="Release"/>.</summary>
    public static void HoldWrites(string key) => Holds[key] = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets the held writes of <paramref name="key"/> through, and its later ones straight away.</summary>
    public static void Release(string key)
    {
        if (Holds.TryRemove(key, out var hold)) hold.SetResult();
    }

    /// <summary>How many of the grains whose keys are <paramref name="keys"/> have a write held right now.</summary>
    public static int Held(IEnumerable<string> keys) => keys.Count(k => HeldWrites.GetValueOrDefault(k) > 0);

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
        if (Holds.TryGetValue(key, out var hold))
        {
            HeldWrites.AddOrUpdate(key, 1, (_, n) => n + 1);
            try { await hold.Task; }
            finally { HeldWrites.AddOrUpdate(key, 0, (_, n) => n - 1); }
        }
        await inner.WriteStateAsync(stateName, grainId, grainState);
        StoredWrites.AddOrUpdate(key, 1, (_, n) => n + 1);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
