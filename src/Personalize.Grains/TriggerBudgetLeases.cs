using Microsoft.Extensions.Logging;

namespace Personalize.Grains;

/// <summary>A trigger's <c>maxPerDay</c>: may one more push be made today?</summary>
public interface IDailyBudget
{
    ValueTask<bool> TryTakeAsync(string triggerId, int maxPerDay, DateTimeOffset now);
}

/// <summary>
/// The silo's share of every trigger's daily budget. Pushes are taken from a local allotment leased in
/// blocks from the trigger's <see cref="ITriggerBudgetGrain"/> for the day; the next block is fetched in
/// the background when the allotment runs low, so the event path waits on the budget grain only when a
/// silo's allotment is empty (its first push of the day, or traffic faster than refills), once per
/// block, never per event. Blocks are reserved, so there is no overshoot: the cluster pushes at most
/// maxPerDay. The price is possible undershoot: up to one unspent block per silo per trigger per day.
/// </summary>
public sealed partial class TriggerBudgetLeases(IGrainFactory grains, ILogger<TriggerBudgetLeases> logger) : IDailyBudget
{
    private readonly Dictionary<string, Allotment> _allotments = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>A tenth of the day's budget per lease, between 1 and 100: few lease calls, little stranded.</summary>
    public static int BlockSize(int maxPerDay) => Math.Clamp(maxPerDay / 10, 1, 100);

    public async ValueTask<bool> TryTakeAsync(string triggerId, int maxPerDay, DateTimeOffset now)
    {
        var key = ITriggerBudgetGrain.Key(triggerId, now);
        Task refill;
        lock (_lock)
        {
            var allotment = Get(key, maxPerDay, now);
            if (TryTake(allotment, key)) return true;
            if (allotment.Exhausted) return false;
            refill = allotment.Refill ??= StartRefill(allotment, key);
        }
        await refill;
        lock (_lock)
        {
            var allotment = Get(key, maxPerDay, now);
            return TryTake(allotment, key);
        }
    }

    private bool TryTake(Allotment allotment, string key)
    {
        if (allotment.Remaining == 0) return false;
        allotment.Remaining--;
        // Refill ahead of need so the next events do not wait.
        if (allotment.Remaining <= BlockSize(allotment.MaxPerDay) / 2 && !allotment.Exhausted)
            allotment.Refill ??= StartRefill(allotment, key);
        return true;
    }

    private Allotment Get(string key, int maxPerDay, DateTimeOffset now)
    {
        if (!_allotments.TryGetValue(key, out var allotment))
        {
            // A new day (or trigger): forget the allotments of earlier days.
            var today = $"/{now.UtcDateTime:yyyy-MM-dd}";
            foreach (var old in _allotments.Keys.Where(k => !k.EndsWith(today, StringComparison.Ordinal)).ToList())
                _allotments.Remove(old);
            _allotments[key] = allotment = new Allotment { MaxPerDay = maxPerDay };
        }
        else if (allotment.MaxPerDay != maxPerDay)
        {
            // The marketer changed the limit: the budget grain judges the new one.
            allotment.MaxPerDay = maxPerDay;
            allotment.Exhausted = false;
        }
        return allotment;
    }

    /// <summary>Runs off the grain scheduler so no shopper activation owns the shared task.</summary>
    private Task StartRefill(Allotment allotment, string key) => Task.Run(async () =>
    {
        int block, granted = 0;
        var failed = false;
        lock (_lock) block = BlockSize(allotment.MaxPerDay);
        try
        {
            granted = await grains.GetGrain<ITriggerBudgetGrain>(key).LeaseAsync(block, allotment.MaxPerDay);
        }
        catch (Exception ex)
        {
            // No budget is granted on failure: the trigger stays quiet rather than overshooting; the next event retries.
            failed = true;
            LogWarningLeaseFailed(ex, key);
        }
        finally
        {
            lock (_lock)
            {
                allotment.Remaining += granted;
                // A short grant means the day's budget is spent: stop asking until the limit changes or the day ends.
                if (!failed && granted < block) allotment.Exhausted = true;
                allotment.Refill = null;
            }
        }
    });

    private sealed class Allotment
    {
        public int Remaining;
        public int MaxPerDay;
        public bool Exhausted;
        public Task? Refill;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Leasing daily budget {Key} failed")]
    private partial void LogWarningLeaseFailed(Exception ex, string key);
}

/// <summary>A budget counted in memory, for one process that needs no cluster (the simulator).</summary>
public sealed class LocalDailyBudget : IDailyBudget
{
    private readonly Dictionary<string, int> _taken = new(StringComparer.Ordinal);

    public ValueTask<bool> TryTakeAsync(string triggerId, int maxPerDay, DateTimeOffset now)
    {
        var key = ITriggerBudgetGrain.Key(triggerId, now);
        var taken = _taken.GetValueOrDefault(key);
        if (taken >= maxPerDay) return ValueTask.FromResult(false);
        _taken[key] = taken + 1;
        return ValueTask.FromResult(true);
    }
}
