namespace Personalize;

/// <summary>
/// The marketers' trigger catalog (one grain, key 0). Triggers are stored as validated canonical JSON;
/// each silo compiles them once per catalog version (see Personalize.Triggers). It is never called per
/// event: silos poll <see cref="GetVersionAsync"/> and fetch the snapshot when it moves.
/// </summary>
[Alias("Personalize.ITriggerCatalogGrain")]
public interface ITriggerCatalogGrain : IGrainWithIntegerKey
{
    [Alias("GetVersion")]
    Task<long> GetVersionAsync();

    [Alias("GetSnapshot")]
    Task<CatalogSnapshot> GetSnapshotAsync();

    [Alias("Get")]
    Task<TriggerRecord?> GetAsync(string id);

    /// <summary>Adds a trigger; null when the id exists.</summary>
    [Alias("Create")]
    Task<TriggerRecord?> CreateAsync(string id, string json);

    /// <summary>Replaces a trigger and bumps its version; null when the id is unknown.</summary>
    [Alias("Replace")]
    Task<TriggerRecord?> ReplaceAsync(string id, string json);

    [Alias("Delete")]
    Task<bool> DeleteAsync(string id);

    /// <summary>Pauses or resumes without deleting; null when the id is unknown.</summary>
    [Alias("SetPaused")]
    Task<TriggerRecord?> SetPausedAsync(string id, bool paused);
}

[GenerateSerializer, Alias("Personalize.TriggerRecord")]
public sealed record TriggerRecord
{
    [Id(0)] public string Id { get; init; } = "";
    [Id(1)] public int Version { get; init; }
    /// <summary>The trigger definition as canonical JSON (what the marketer sent, validated).</summary>
    [Id(2)] public string Json { get; init; } = "";
    [Id(3)] public bool Paused { get; init; }
    [Id(4)] public DateTimeOffset CreatedAt { get; init; }
    [Id(5)] public DateTimeOffset UpdatedAt { get; init; }
}

[GenerateSerializer, Alias("Personalize.CatalogSnapshot")]
public sealed record CatalogSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<TriggerRecord> Triggers);
