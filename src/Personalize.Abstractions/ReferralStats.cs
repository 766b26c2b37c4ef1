namespace Personalize;

/// <summary>The referral funnel counters; silos add their deltas about once a second.</summary>
[GenerateSerializer, Alias("Personalize.ReferralCounts")]
public sealed record ReferralCounts
{
    [Id(0)] public long Prompts { get; init; }
    [Id(1)] public long Shares { get; init; }
    [Id(2)] public long Landings { get; init; }
    [Id(3)] public long Attributed { get; init; }
    [Id(4)] public long Qualified { get; init; }
    [Id(5)] public long RewardsPending { get; init; }
    [Id(6)] public long RewardsConfirmed { get; init; }
    [Id(7)] public long RewardsReversed { get; init; }
    [Id(8)] public long SelfReferral { get; init; }
    [Id(9)] public long InvalidCode { get; init; }
    [Id(10)] public long Capped { get; init; }
    /// <summary>Shoppers who shared at least once: the denominator of invites per referrer.</summary>
    [Id(11)] public long Referrers { get; init; }
    /// <summary>Landings refused by the velocity limits (per code, per shopper, unknown-code attempts).</summary>
    [Id(12)] public long RateLimited { get; init; }

    public bool IsZero => this == Zero;

    public static readonly ReferralCounts Zero = new();

    public ReferralCounts Plus(ReferralCounts d) => new()
    {
        Prompts = Prompts + d.Prompts, Shares = Shares + d.Shares, Landings = Landings + d.Landings,
        Attributed = Attributed + d.Attributed, Qualified = Qualified + d.Qualified,
        RewardsPending = RewardsPending + d.RewardsPending, RewardsConfirmed = RewardsConfirmed + d.RewardsConfirmed,
        RewardsReversed = RewardsReversed + d.RewardsReversed, SelfReferral = SelfReferral + d.SelfReferral,
        InvalidCode = InvalidCode + d.InvalidCode, Capped = Capped + d.Capped, Referrers = Referrers + d.Referrers,
        RateLimited = RateLimited + d.RateLimited,
    };
}

/// <summary>The cluster's referral totals (one grain, key 0), fed by each silo's collector.</summary>
[Alias("Personalize.IReferralStatsGrain")]
public interface IReferralStatsGrain : IGrainWithIntegerKey
{
    /// <summary>Adds one silo's delta unless the batch <paramref name="flush"/> was added before (a resend whose answer was lost).</summary>
    [Alias("AddBatch")]
    Task AddBatchAsync(FlushId flush, ReferralCounts delta);

    [Alias("Get")]
    Task<ReferralCounts> GetAsync();
}
