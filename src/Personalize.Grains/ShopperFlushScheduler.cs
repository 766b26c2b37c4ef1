using Microsoft.Extensions.Options;

namespace Personalize.Grains;

/// <summary>
/// One per silo: the shoppers with click-only changes not yet written, each asked to write them
/// <see cref="NudgeOptions.ClickFlushDelay"/> after its first unwritten change. It replaces a one-shot
/// grain timer per shopper, which left about 300 bytes of timer bookkeeping in every activation that
/// ever had one. The write itself runs in the grain's own turn (<see cref="IShopperFlushGrain.FlushAsync"/>),
/// never here; a deactivating shopper writes for itself and is forgotten, so no call wakes it again.
/// </summary>
public sealed class ShopperFlushScheduler : IDisposable
{
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly TimeSpan _delay;
    private readonly Lock _lock = new();
    // Due times are now + a fixed delay, so arrival order is due order. A shopper forgotten and scheduled
    // again leaves a stale entry, told apart by its due time not matching the pending one.
    private readonly Queue<(GrainId Shopper, DateTimeOffset Due)> _queue = new();
    private readonly Dictionary<GrainId, DateTimeOffset> _pending = [];
    private readonly ITimer _timer;
    private bool _armed;

    public ShopperFlushScheduler(IGrainFactory grains, TimeProvider time, IOptions<NudgeOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _grains = grains;
        _time = time;
        _delay = options.Value.ClickFlushDelay;
        _timer = time.CreateTimer(static s => ((ShopperFlushScheduler)s!).FlushDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Whether <paramref name="shopper"/> waits for its flush.</summary>
    public bool IsScheduled(GrainId shopper)
    {
        lock (_lock) return _pending.ContainsKey(shopper);
    }

    /// <summary>Asks <paramref name="shopper"/> to flush after the delay; a shopper already waiting keeps its earlier time.</summary>
    public void Schedule(GrainId shopper)
    {
        lock (_lock)
        {
            var due = _time.GetUtcNow() + _delay;
            if (!_pending.TryAdd(shopper, due)) return;
            _queue.Enqueue((shopper, due));
            if (!_armed) Arm(due);
        }
    }

    /// <summary>Drops <paramref name="shopper"/>'s flush: it deactivates and writes for itself.</summary>
    public void Forget(GrainId shopper)
    {
        lock (_lock) _pending.Remove(shopper);
    }

    public void Dispose() => _timer.Dispose();

    private void FlushDue()
    {
        List<GrainId>? due = null;
        lock (_lock)
        {
            _armed = false;
            var now = _time.GetUtcNow();
            while (_queue.TryPeek(out var head))
            {
                if (!_pending.TryGetValue(head.Shopper, out var pendingDue) || pendingDue != head.Due)
                {
                    _queue.Dequeue();
                    continue;
                }
                if (head.Due > now)
                {
                    Arm(head.Due);
                    break;
                }
                _queue.Dequeue();
                _pending.Remove(head.Shopper);
                (due ??= []).Add(head.Shopper);
            }
            // A burst leaves both sized for its peak; give that back once everyone is written.
            if (_queue.Count == 0)
            {
                _queue.TrimExcess();
                _pending.TrimExcess();
            }
        }
        // One-way calls: nothing is awaited here, and a failed write is the grain's to report.
        if (due is null) return;
        foreach (var shopper in due) _ = _grains.GetGrain<IShopperFlushGrain>(shopper).FlushAsync();
    }

    private void Arm(DateTimeOffset due)
    {
        // Marked first: a time provider may run a due timer at once, on this thread (the lock is reentrant).
        _armed = true;
        var wait = due - _time.GetUtcNow();
        _timer.Change(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
