namespace Personalize;

/// <summary>
/// A trigger's counters, keyed by trigger id. Silos and gateways add to it about once a second with
/// what they aggregated locally (TriggerStatsCollector); nothing calls it per event.
/// </summary>
[Alias("Personalize.ITriggerStatsGrain")]
public interface ITriggerStatsGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task AddAsync(TriggerStats delta);

    [Alias("Get")]
    Task<TriggerStats> GetAsync();
}

/// <summary>Counters of one trigger; also the shape of a delta flushed by one process.</summary>
[GenerateSerializer, Alias("Personalize.TriggerStats")]
public sealed class TriggerStats
{
    /// <summary>Pushes issued (holdout assignments are not pushes).</summary>
    [Id(0)] public long Fired { get; set; }
    /// <summary>Pushes a gateway relayed to the shopper's connections (replays of pending pushes count again).</summary>
    [Id(1)] public long Delivered { get; set; }
    [Id(2)] public long Shown { get; set; }
    [Id(3)] public long Clicked { get; set; }
    [Id(4)] public long Dismissed { get; set; }
    /// <summary>Pushes followed by a purchase within 24 h (at most one per push).</summary>
    [Id(5)] public long Converted { get; set; }
    [Id(6)] public decimal Revenue { get; set; }
    [Id(7)] public long HoldoutAssigned { get; set; }
    [Id(8)] public long HoldoutConverted { get; set; }
    [Id(9)] public decimal HoldoutRevenue { get; set; }

    public bool IsEmpty =>
        Fired == 0 && Delivered == 0 && Shown == 0 && Clicked == 0 && Dismissed == 0 && Converted == 0 && Revenue == 0
        && HoldoutAssigned == 0 && HoldoutConverted == 0 && HoldoutRevenue == 0;

    public void Add(TriggerStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Fired += other.Fired;
        Delivered += other.Delivered;
        Shown += other.Shown;
        Clicked += other.Clicked;
        Dismissed += other.Dismissed;
        Converted += other.Converted;
        Revenue += other.Revenue;
        HoldoutAssigned += other.HoldoutAssigned;
        HoldoutConverted += other.HoldoutConverted;
        HoldoutRevenue += other.HoldoutRevenue;
    }

    public TriggerStats Copy()
    {
        var copy = new TriggerStats();
        copy.Add(this);
        return copy;
    }
}
