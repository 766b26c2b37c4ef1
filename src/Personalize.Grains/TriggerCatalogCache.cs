using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Personalize.Triggers;

namespace Personalize.Grains;

/// <summary>
/// The silo-local compiled catalog. Polls the catalog grain's version four times a second and
/// recompiles only when it moved, so a marketer's change is live on every silo well within a second
/// while the event path reads a field and never makes a call.
/// </summary>
public sealed partial class TriggerCatalogCache(IGrainFactory grains, ILogger<TriggerCatalogCache> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private volatile CompiledCatalog? _current;
    private readonly SemaphoreSlim _refreshLock = new(1, 1);

    /// <summary>The compiled catalog; loads it on first use.</summary>
    public ValueTask<CompiledCatalog> GetAsync() =>
        _current is { } current ? ValueTask.FromResult(current) : new ValueTask<CompiledCatalog>(RefreshAsync());

    /// <summary>Fetches and compiles the catalog if its version moved.</summary>
    public async Task<CompiledCatalog> RefreshAsync()
    {
        var catalog = grains.GetGrain<ITriggerCatalogGrain>(0);
        await _refreshLock.WaitAsync();
        try
        {
            var version = await catalog.GetVersionAsync();
            if (_current is { } current && current.Version == version) return current;
            var snapshot = await catalog.GetSnapshotAsync();
            var compiled = CompiledCatalog.Compile(snapshot.Version, Parse(snapshot.Triggers));
            _current = compiled;
            LogInformationCatalogCompiled(compiled.Version, compiled.All.Count);
            return compiled;
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    private IEnumerable<(TriggerDefinition, bool)> Parse(IReadOnlyList<TriggerRecord> records)
    {
        foreach (var record in records)
        {
            // Records were validated when stored; one that no longer parses (a language change) is skipped, not fatal.
            if (TriggerParser.TryParse(record.Json, record.Id, out var definition, out _) && definition is not null)
                yield return (definition, record.Paused);
            else
                LogWarningTriggerSkipped(record.Id);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(RefreshAsync, PollInterval, logger, stoppingToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trigger catalog version {Version} compiled ({Count} triggers)")]
    private partial void LogInformationCatalogCompiled(long version, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored trigger {TriggerId} no longer parses; it is left out")]
    private partial void LogWarningTriggerSkipped(string triggerId);
}
