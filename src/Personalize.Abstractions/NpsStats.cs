namespace Personalize;

/// <summary>NPS answers of one day (or a delta of them: a shopper's same-day re-answer moves one answer between classes).</summary>
[GenerateSerializer, Alias("Personalize.NpsCounts")]
public sealed record NpsCounts
{
    [Id(0)] public long Responses { get; init; }
    [Id(1)] public long Promoters { get; init; }
    [Id(2)] public long Passives { get; init; }
    [Id(3)] public long Detractors { get; init; }

    public static readonly NpsCounts Zero = new();

    public bool IsZero => this == Zero;

    public NpsCounts Plus(NpsCounts d) => new()
    {
        Responses = Responses + d.Responses, Promoters = Promoters + d.Promoters,
        Passives = Passives + d.Passives, Detractors = Detractors + d.Detractors,
    };

    /// <summary>round(100·(promoters − detractors)/responses); null when nobody answered.</summary>
    public int? Score => Responses == 0
        ? null
        : (int)Math.Round(100m * (Promoters - Detractors) / Responses, MidpointRounding.AwayFromZero);

    /// <summary>One answer of <paramref name="score"/> (0..10), counted with <paramref name="sign"/> +1 or −1.</summary>
    public static NpsCounts Of(int score, int sign = 1) => new()
    {
        Promoters = score >= 9 ? sign : 0,
        Passives = score is 7 or 8 ? sign : 0,
        Detractors = score <= 6 ? sign : 0,
    };
}

/// <summary>All-time NPS totals and the last 7 and 30 days (today included, UTC days).</summary>
[GenerateSerializer, Alias("Personalize.NpsSummary")]
public sealed record NpsSummary(
    [property: Id(0)] NpsCounts Total,
    [property: Id(1)] NpsCounts Last7Days,
    [property: Id(2)] NpsCounts Last30Days);

/// <summary>The cluster's NPS in daily buckets (one grain, key 0), fed by each silo's collector about once a second.</summary>
[Alias("Personalize.INpsStatsGrain")]
public interface INpsStatsGrain : IGrainWithIntegerKey
{
    /// <summary>Adds one silo's answers by day unless the batch <paramref name="flush"/> was added before (a resend whose answer was lost).</summary>
    [Alias("AddBatch")]
    Task AddBatchAsync(FlushId flush, IReadOnlyDictionary<DateOnly, NpsCounts> deltaByDay);

    [Alias("Get")]
    Task<NpsSummary> GetAsync();
}
