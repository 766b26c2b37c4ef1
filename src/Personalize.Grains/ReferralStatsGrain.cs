namespace Personalize.Grains;

[GenerateSerializer, Alias("Personalize.ReferralStatsState")]
public sealed class ReferralStatsState
{
    [Id(0)] public ReferralCounts Totals { get; set; } = ReferralCounts.Zero;
}

/// <summary>Cluster totals of the referral funnel. Called about once a second per silo, never per event.</summary>
public sealed class ReferralStatsGrain(
    [PersistentState("referralStats", GrainStorage.Default)] IPersistentState<ReferralStatsState> stats)
    : Grain, IReferralStatsGrain
{
    public async Task AddAsync(ReferralCounts delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        var before = stats.State.Totals;
        stats.State.Totals = before.Plus(delta);
        try
        {
            await stats.WriteStateAsync();
        }
        catch
        {
            // The collector keeps a delta whose flush failed and sends it again.
            stats.State.Totals = before;
            throw;
        }
    }

    public Task<ReferralCounts> GetAsync() => Task.FromResult(stats.State.Totals);
}
