using System.Net.Http.Headers;
using System.Text;

namespace Personalize.Benchmarks.Memory;

/// <summary>
/// Memory per idle shopper grain: N shoppers each send a session through the grain interface, the
/// grains are left idle (lazy writes flushed, still activated), and the live managed heap after full
/// compacting GCs is compared with the reading taken before, divided by N.
/// </summary>
public static class GrainMemoryProbe
{
    private const int WarmUpShoppers = 200;
    /// <summary>Shoppers in flight at once; full sessions write on most events, so fewer of them (SQLite has one writer).</summary>
    private const int TypicalConcurrency = 64;
    private const int FullConcurrency = 8;

    /// <summary>The shopper grain writes click-only changes after 5 s (NudgeOptions.ClickFlushDelay): the default wait lies past it.</summary>
    public static readonly TimeSpan DefaultSettle = TimeSpan.FromSeconds(8);

    public static async Task<MemorySection> TypicalAsync(ProbeGateway gateway, int count, TimeSpan settle, HistogramRecorder histograms)
    {
        await ProbeCatalog.InstallAsync(gateway);
        // JIT, pools, storage connections and caches are made by the first shoppers, not per shopper.
        await RunAsync(gateway, "warm-typical", WarmUpShoppers, ShopperSessions.Typical, TypicalConcurrency);
        return await MeasureAsync(gateway, "typical", count, ShopperSessions.Typical, ShopperSessions.TypicalDescription, TypicalConcurrency, settle, histograms);
    }

    public static async Task<MemorySection> FullAsync(ProbeGateway gateway, int count, TimeSpan settle, HistogramRecorder histograms)
    {
        await ProbeCatalog.PostTriggerAsync(gateway, ShopperSessions.FullTriggerJson);
        // Catalog changes reach the silo's compiled cache within a second.
        await Task.Delay(TimeSpan.FromSeconds(2));
        await RunAsync(gateway, "warm-full", Math.Min(count, 10), ShopperSessions.Full, FullConcurrency);
        return await MeasureAsync(gateway, "full", count, ShopperSessions.Full, ShopperSessions.FullDescription, FullConcurrency, settle, histograms);
    }

    private static async Task<MemorySection> MeasureAsync(
        ProbeGateway gateway, string prefix, int count, Func<int, IEnumerable<ShopperEvent>> session, IReadOnlyList<string> description,
        int concurrency, TimeSpan settle, HistogramRecorder histograms)
    {
        await Task.Delay(settle);
        var activationsBefore = await gateway.ActivationCountAsync();
        var before = await HeapGauge.ReadAsync();
        await histograms.BeforeAsync();
        var started = DateTimeOffset.UtcNow;
        await RunAsync(gateway, prefix, count, session, concurrency);
        var elapsed = DateTimeOffset.UtcNow - started;
        await Task.Delay(settle);
        var after = await HeapGauge.ReadAsync();
        await histograms.AfterAsync(prefix, count);
        var activationsAfter = await gateway.ActivationCountAsync();
        if (activationsAfter - activationsBefore < count)
            throw new InvalidOperationException(
                $"only {activationsAfter - activationsBefore} of {count} shopper grains are still active: the figure would be too small");
        return MemorySection.From(count, before, after, activationsBefore, activationsAfter, description, elapsed);
    }

    private static async Task RunAsync(ProbeGateway gateway, string prefix, int count, Func<int, IEnumerable<ShopperEvent>> session, int concurrency)
    {
        var next = -1;
        async Task Worker()
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var shopper = gateway.Grains.GetGrain<IShopperGrain>($"{prefix}-{i}");
                foreach (var e in session(i)) await TrackAsync(shopper, e, $"{prefix}-{i}");
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, Math.Max(count, 1))).Select(_ => Task.Run(Worker)));
    }

    /// <summary>
    /// On a busy two-core machine a call may time out while the silo is still working; events are
    /// idempotent by id, so the same event is sent again and "duplicate" then means it was applied.
    /// </summary>
    private static async Task TrackAsync(IShopperGrain shopper, ShopperEvent e, string shopperId)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await shopper.TrackAsync(e);
                if (!result.Accepted || (result.Duplicate && attempt == 1))
                    throw new InvalidOperationException($"event {e.Type} of shopper {shopperId} was not applied");
                return;
            }
            catch (TimeoutException) when (attempt < 5)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt));
            }
        }
    }
}
