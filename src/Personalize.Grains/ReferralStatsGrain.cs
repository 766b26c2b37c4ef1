using Microsoft.Extensions.DependencyInjection;

namespace Personalize.Grains;

[GenerateSerializer, Alias("Personalize.ReferralStatsState")]
public sealed class ReferralStatsState : IFlushTargetState
{
    [Id(0)] public ReferralCounts Totals { get; set; } = ReferralCounts.Zero;
    [Id(1)] public AppliedFlushes AppliedFlushes { get; set; } = new();
}

/// <summary>
/// Cluster totals of the referral funnel. Called about once a second per silo, never per event; each
/// silo's batch counts once (<see cref="FlushTarget"/>).
/// </summary>
public sealed class ReferralStatsGrain(
    [PersistentState("referralStats", GrainStorage.Default)] IPersistentState<ReferralStatsState> stats,
    [FromKeyedServices(ProductClock.Key)] TimeProvider time)
    : Grain, IReferralStatsGrain
{
    public Task AddBatchAsync(FlushId flush, ReferralCounts delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        return stats.ApplyOnceAsync(this, flush, time, state => state.Totals = state.Totals.Plus(delta));
    }

    public Task<ReferralCounts> GetAsync() => Task.FromResult(stats.State.Totals);
}
