using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Personalize.Grains;

/// <summary>The referral funnel counters a shopper grain bumps.</summary>
public enum ReferralCounter
{
    Prompts, Shares, Landings, Attributed, Qualified, RewardsPending, RewardsConfirmed, RewardsReversed,
    SelfReferral, InvalidCode, Capped, Referrers, RateLimited,
}

/// <summary>
/// Aggregates the referral funnel on this silo and flushes it to <see cref="IReferralStatsGrain"/> about
/// once a second, so no grain is called per event. Each delta counts exactly once: a flush that fails is
/// resent unchanged through the <see cref="FlushOutbox{TTarget, TBatch}"/>, and what was counted since
/// waits for the flush after it is answered.
/// </summary>
public sealed class ReferralStatsCollector(IGrainFactory grains, ILogger<ReferralStatsCollector> logger) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = PeriodicWork.FlushInterval;

    private readonly long[] _counts = new long[Enum.GetValues<ReferralCounter>().Length];
    private readonly FlushOutbox<long, ReferralCounts> _outbox = new("the referral funnel",
        (key, flush, delta) => grains.GetGrain<IReferralStatsGrain>(key).AddBatchAsync(flush, delta), logger);

    public void Add(ReferralCounter counter, long delta = 1) => Interlocked.Add(ref _counts[(int)counter], delta);

    /// <summary>Sends what accumulated since the last flush.</summary>
    public Task FlushAsync() => _outbox.FlushAsync(sendable =>
    {
        if (!sendable(0)) return [];
        var taken = new long[_counts.Length];
        for (var i = 0; i < taken.Length; i++) taken[i] = Interlocked.Exchange(ref _counts[i], 0);
        var delta = ToCounts(taken);
        return delta.IsZero ? [] : [new(0, delta)];
    });

    private static ReferralCounts ToCounts(long[] c) => new()
    {
        Prompts = c[(int)ReferralCounter.Prompts], Shares = c[(int)ReferralCounter.Shares],
        Landings = c[(int)ReferralCounter.Landings], Attributed = c[(int)ReferralCounter.Attributed],
        Qualified = c[(int)ReferralCounter.Qualified], RewardsPending = c[(int)ReferralCounter.RewardsPending],
        RewardsConfirmed = c[(int)ReferralCounter.RewardsConfirmed], RewardsReversed = c[(int)ReferralCounter.RewardsReversed],
        SelfReferral = c[(int)ReferralCounter.SelfReferral], InvalidCode = c[(int)ReferralCounter.InvalidCode],
        Capped = c[(int)ReferralCounter.Capped], Referrers = c[(int)ReferralCounter.Referrers],
        RateLimited = c[(int)ReferralCounter.RateLimited],
    };

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => PeriodicWork.RunAsync(FlushAsync, FlushInterval, logger, stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await PeriodicWork.FinalFlushAsync(FlushAsync, logger, cancellationToken);
    }
}
