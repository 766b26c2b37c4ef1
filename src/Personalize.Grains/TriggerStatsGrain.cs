using Microsoft.Extensions.DependencyInjection;

namespace Personalize.Grains;

/// <summary>
/// A trigger's counters (key: trigger id). Receives one delta per process per second at most, so one
/// state write per add is affordable and an acknowledged flush is never lost; the same write records the
/// batch (<see cref="FlushTarget"/>), so a resent one is never counted twice.
/// </summary>
public sealed class TriggerStatsGrain(
    [PersistentState("triggerStats", GrainStorage.Default)] IPersistentState<TriggerStats> stats,
    [FromKeyedServices(ProductClock.Key)] TimeProvider time) : Grain, ITriggerStatsGrain
{
    public Task AddBatchAsync(FlushId flush, TriggerStats delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        return delta.IsEmpty ? Task.CompletedTask : stats.ApplyOnceAsync(this, flush, time, state => state.Add(delta));
    }

    public Task<TriggerStats> GetAsync() => Task.FromResult(stats.State.Copy());
}
