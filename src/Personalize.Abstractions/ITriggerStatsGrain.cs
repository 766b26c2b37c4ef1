namespace Personalize;

/// <summary>
/// A trigger's counters, keyed by trigger id. Silos and gateways add to it about once a second with
/// what they aggregated locally (TriggerStatsCollector); nothing calls it per event.
/// </summary>
[Alias("Personalize.ITriggerStatsGrain")]
public interface ITriggerStatsGrain : IGrainWithStringKey
{
    /// <summary>Adds one process's delta unless the batch <paramref name="flush"/> was added before (a resend whose answer was lost).</summary>
    [Alias("AddBatch")]
    Task AddBatchAsync(FlushId flush, TriggerStats delta);

    [Alias("Get")]
    Task<TriggerStats> GetAsync();
}

/// <summary>Counters of one trigger; also the shape of a delta flushed by one process, and the stats grain's stored row.</summary>
[GenerateSerializer, Alias("Personalize.TriggerStats")]
public sealed class TriggerStats : IFlushTargetState
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
    /// <summary>
    /// Only in the stats grain's row: the batches it applied. Null on a delta and on what
    /// <see cref="ITriggerStatsGrain.GetAsync"/> answers, so neither carries it over the wire.
    /// </summary>
    [Id(10)] public AppliedFlushes? Applied { get; set; }

    AppliedFlushes IFlushTargetState.AppliedFlushes => Applied ??= new();

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
