using Microsoft.Extensions.DependencyInjection;

namespace Personalize.Grains;

[GenerateSerializer, Alias("Personalize.TriggerCatalogState")]
public sealed class TriggerCatalogState
{
    [Id(0)] public long Version { get; set; }
    [Id(1)] public Dictionary<string, TriggerRecord> Triggers { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The catalog of marketer triggers. Writes are rare (marketers), reads are a version poll per silo
/// every quarter second, so one grain is plenty and never sits on the event path.
/// </summary>
public sealed class TriggerCatalogGrain(
    [PersistentState("catalog", GrainStorage.Default)] IPersistentState<TriggerCatalogState> catalog,
    [FromKeyedServices(ProductClock.Key)] TimeProvider time) : Grain, ITriggerCatalogGrain
{
    public Task<long> GetVersionAsync() => Task.FromResult(catalog.State.Version);

    public Task<CatalogSnapshot> GetSnapshotAsync() =>
        Task.FromResult(new CatalogSnapshot(catalog.State.Version, [.. catalog.State.Triggers.Values.OrderBy(t => t.Id, StringComparer.Ordinal)]));

    public Task<TriggerRecord?> GetAsync(string id) =>
        Task.FromResult(catalog.State.Triggers.GetValueOrDefault(id));

    public async Task<TriggerRecord?> CreateAsync(string id, string json)
    {
        if (catalog.State.Triggers.ContainsKey(id)) return null;
        var now = time.GetUtcNow();
        var record = new TriggerRecord { Id = id, Version = 1, Json = json, CreatedAt = now, UpdatedAt = now };
        return await SaveAsync(record);
    }

    public async Task<TriggerRecord?> ReplaceAsync(string id, string json)
    {
        if (!catalog.State.Triggers.TryGetValue(id, out var old)) return null;
        return await SaveAsync(old with { Version = old.Version + 1, Json = json, UpdatedAt = time.GetUtcNow() });
    }

    public async Task<TriggerRecord?> SetPausedAsync(string id, bool paused)
    {
        if (!catalog.State.Triggers.TryGetValue(id, out var old)) return null;
        if (old.Paused == paused) return old;
        return await SaveAsync(old with { Version = old.Version + 1, Paused = paused, UpdatedAt = time.GetUtcNow() });
    }

    public async Task<bool> DeleteAsync(string id)
    {
        if (!catalog.State.Triggers.Remove(id)) return false;
        catalog.State.Version++;
        await WriteOrReloadAsync();
        return true;
    }

    private async Task<TriggerRecord> SaveAsync(TriggerRecord record)
    {
        catalog.State.Triggers[record.Id] = record;
        catalog.State.Version++;
        await WriteOrReloadAsync();
        return record;
    }

    /// <summary>A failed write must not leave the in-memory catalog ahead of what is stored.</summary>
    private async Task WriteOrReloadAsync()
    {
        try
        {
            await catalog.WriteStateAsync();
        }
        catch
        {
            await catalog.ReadStateAsync();
            throw;
        }
    }
}
