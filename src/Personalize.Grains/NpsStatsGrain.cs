using Microsoft.Extensions.DependencyInjection;

namespace Personalize.Grains;

[GenerateSerializer, Alias("Personalize.NpsStatsState")]
public sealed class NpsStatsState
{
    [Id(0)] public NpsCounts Total { get; set; } = NpsCounts.Zero;
    /// <summary>Answers per UTC day; only the last <see cref="NpsStatsGrain.DaysKept"/> days are kept.</summary>
    [Id(1)] public Dictionary<DateOnly, NpsCounts> Days { get; set; } = [];
}

/// <summary>The cluster's NPS: all-time totals and daily buckets for the 7- and 30-day figures.</summary>
public sealed class NpsStatsGrain(
    [PersistentState("npsStats", GrainStorage.Default)] IPersistentState<NpsStatsState> store,
    [FromKeyedServices(ProductClock.Key)] TimeProvider time)
    : Grain, INpsStatsGrain
{
    public const int DaysKept = 30;

    public async Task AddAsync(IReadOnlyDictionary<DateOnly, NpsCounts> deltaByDay)
    {
        ArgumentNullException.ThrowIfNull(deltaByDay);
        var (total, days) = (store.State.Total, new Dictionary<DateOnly, NpsCounts>(store.State.Days));
        foreach (var (day, delta) in deltaByDay)
        {
            store.State.Total = store.State.Total.Plus(delta);
            store.State.Days[day] = store.State.Days.GetValueOrDefault(day, NpsCounts.Zero).Plus(delta);
        }
        var oldest = Today().AddDays(-(DaysKept - 1));
        foreach (var stale in store.State.Days.Keys.Where(d => d < oldest).ToList()) store.State.Days.Remove(stale);
        try
        {
            await store.WriteStateAsync();
        }
        catch
        {
            // The collector keeps a batch whose flush failed and sends it again.
            (store.State.Total, store.State.Days) = (total, days);
            throw;
        }
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
