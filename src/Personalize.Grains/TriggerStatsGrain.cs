namespace Personalize.Grains;

/// <summary>
/// A trigger's counters (key: trigger id). Receives one delta per process per second at most, so one
/// state write per add is affordable and an acknowledged flush is never lost.
/// </summary>
public sealed class TriggerStatsGrain(
    [PersistentState("triggerStats", GrainStorage.Default)] IPersistentState<TriggerStats> stats) : Grain, ITriggerStatsGrain
{
    public async Task AddAsync(TriggerStats delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (delta.IsEmpty) return;
        stats.State.Add(delta);
        try
        {
            await stats.WriteStateAsync();
        }
        catch
        {
            // The caller merges the delta back and retries: keeping it here too would count it twice.
            await stats.ReadStateAsync();
            throw;
        }
    }

    public Task<TriggerStats> GetAsync() => Task.FromResult(stats.State.Copy());
}
