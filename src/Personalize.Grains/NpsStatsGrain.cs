using Microsoft.Extensions.DependencyInjection;

namespace Personalize.Grains;

[GenerateSerializer, Alias("Personalize.NpsStatsState")]
public sealed class NpsStatsState : IFlushTargetState
{
    [Id(0)] public NpsCounts Total { get; set; } = NpsCounts.Zero;
    /// <summary>Answers per UTC day; only the last <see cref="NpsStatsGrain.DaysKept"/> days are kept.</summary>
    [Id(1)] public Dictionary<DateOnly, NpsCounts> Days { get; set; } = [];
    [Id(2)] public AppliedFlushes AppliedFlushes { get; set; } = new();
}

/// <summary>
/// The cluster's NPS: all-time totals and daily buckets for the 7- and 30-day figures. Each silo's batch
/// counts once (<see cref="FlushTarget"/>).
/// </summary>
public sealed class NpsStatsGrain(
    [PersistentState("npsStats", GrainStorage.Default)] IPersistentState<NpsStatsState> store,
    [FromKeyedServices(ProductClock.Key)] TimeProvider time)
    : Grain, INpsStatsGrain
{
    public const int DaysKept = 30;

    public Task AddBatchAsync(FlushId flush, IReadOnlyDictionary<DateOnly, NpsCounts> deltaByDay)
    {
        ArgumentNullException.ThrowIfNull(deltaByDay);
        return store.ApplyOnceAsync(this, flush, time, state =>
        {
            foreach (var (day, delta) in deltaByDay)
            {
                state.Total = state.Total.Plus(delta);
                state.Days[day] = state.Days.GetValueOrDefault(day, NpsCounts.Zero).Plus(delta);
            }
            var oldest = Today().AddDays(-(DaysKept - 1));
            foreach (var stale in state.Days.Keys.Where(d => d < oldest).ToList()) state.Days.Remove(stale);
        });
    }

    public Task<NpsSummary> GetAsync()
    {
        var today = Today();
        return Task.FromResult(new NpsSummary(store.State.Total, Since(today.AddDays(-6)), Since(today.AddDays(-(DaysKept - 1)))));

        NpsCounts Since(DateOnly first)
        {
            var sum = NpsCounts.Zero;
            foreach (var (day, counts) in store.State.Days)
                if (day >= first && day <= today) sum = sum.Plus(counts);
            return sum;
        }
    }

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}
