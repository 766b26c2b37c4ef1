namespace Personalize.Grains;

[GenerateSerializer, Alias("Personalize.TriggerBudgetState")]
public sealed class TriggerBudgetState
{
    [Id(0)] public int Granted { get; set; }
}

/// <summary>
/// One trigger's budget for one UTC day. It only hands out blocks; the silos spend them locally. It never
/// grants past maxPerDay, so the cluster never pushes more than the budget (it may push fewer: a block a
/// silo leased and did not spend before the day ended, or before it died, is not given back).
/// </summary>
public sealed class TriggerBudgetGrain(
    [PersistentState("triggerBudget", GrainStorage.Default)] IPersistentState<TriggerBudgetState> budget) : Grain, ITriggerBudgetGrain
{
    public async Task<int> LeaseAsync(int requested, int maxPerDay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(requested);
        var granted = Math.Clamp(maxPerDay - budget.State.Granted, 0, requested);
        if (granted == 0) return 0;
        budget.State.Granted += granted;
        try
        {
            // Stored before answering: a restarted grain must not hand the same block out again.
            await budget.WriteStateAsync();
        }
        catch
        {
            await budget.ReadStateAsync();
            throw;
        }
        return granted;
    }

    public Task<int> GetGrantedAsync() => Task.FromResult(budget.State.Granted);
}
