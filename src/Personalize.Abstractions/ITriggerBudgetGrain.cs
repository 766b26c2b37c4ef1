namespace Personalize;

/// <summary>
/// One trigger's <c>maxPerDay</c> budget for one UTC day, keyed <c>"triggerId/yyyy-MM-dd"</c>. Silos lease
/// blocks of it (see TriggerBudgetLeases); it is never called per event, only once per block per silo.
/// </summary>
[Alias("Personalize.ITriggerBudgetGrain")]
public interface ITriggerBudgetGrain : IGrainWithStringKey
{
    /// <summary>Grants up to <paramref name="requested"/> pushes, never more than <paramref name="maxPerDay"/> in the day.</summary>
    [Alias("Lease")]
    Task<int> LeaseAsync(int requested, int maxPerDay);

    /// <summary>How many pushes were granted so far this day.</summary>
    [Alias("GetGranted")]
    Task<int> GetGrantedAsync();

    public static string Key(string triggerId, DateTimeOffset now) => $"{triggerId}/{now.UtcDateTime:yyyy-MM-dd}";
}
