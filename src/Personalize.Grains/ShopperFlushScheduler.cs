using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Personalize.Grains;

/// <summary>
/// One per silo: the shoppers with click-only changes not yet written, each asked to write them
/// <see cref="NudgeOptions.ClickFlushDelay"/> after its first unwritten change. It replaces a one-shot
/// grain timer per shopper, which left about 300 bytes of timer bookkeeping in every activation that
/// ever had one. The write itself runs in the grain's own turn (<see cref="IShopperFlushGrain.FlushAsync"/>),
/// never here; a deactivating shopper writes for itself and is forgotten, so no call wakes it again.
/// </summary>
/// <remarks>
/// At most <see cref="NudgeOptions.ClickFlushesInFlight"/> flushes are under way at once; the next due one
/// goes when one answers. Shoppers come due in waves (all who browsed in the same second), and a flush holds
/// its shopper's turn until the write is done. Sent all at once, a wave of a thousand flushes held a thousand
/// shoppers behind a thousand writes, and their events and pushes waited with them (loadtests/README.md);
/// waiting here, a due shopper holds nothing and its own next write carries its clicks anyway.
/// </remarks>
public sealed class ShopperFlushScheduler : IDisposable
{
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly TimeSpan _delay;
    private readonly int _maxInFlight;
    private readonly Action<Task> _answered;
    private readonly Lock _lock = new();
    // Due times are now + a fixed delay, so arrival order is due order. A shopper forgotten and scheduled
    // again leaves a stale entry, told apart by its due time not matching the pending one.
    private readonly Queue<(GrainId Shopper, DateTimeOffset Due)> _queue = new();
    private readonly Dictionary<GrainId, DateTimeOffset> _pending = [];
    private readonly ITimer _timer;
    private bool _armed;
    private int _inFlight;
    private bool _disposed;

    public ShopperFlushScheduler(IGrainFactory grains, [FromKeyedServices(ProductClock.Key)] TimeProvider time, IOptions<NudgeOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _grains = grains;
        _time = time;
        _delay = options.Value.ClickFlushDelay;
        _maxInFlight = options.Value.ClickFlushesInFlight;
        _answered = _ => Answered();
        _timer = time.CreateTimer(static s => ((ShopperFlushScheduler)s!).FlushDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Whether <paramref name="shopper"/> waits for its flush.</summary>
    public bool IsScheduled(GrainId shopper)
    {
        lock (_lock) return _pending.ContainsKey(shopper);
    }

    /// <summary>Flushes sent and not yet answered.</summary>
    public int InFlight
    {
        get { lock (_lock) return _inFlight; }
    }

    /// <summary>Asks <paramref name="shopper"/> to flush after the delay; a shopper already waiting keeps its earlier time.</summary>
    public void Schedule(GrainId shopper)
    {
        lock (_lock)
        {
            var due = _time.GetUtcNow() + _delay;
            if (!_pending.TryAdd(shopper, due)) return;
            _queue.Enqueue((shopper, due));
            if (!_armed && _inFlight < _maxInFlight) Arm(due);
        }
    }

    /// <summary>Drops <paramref name="shopper"/>'s flush: it deactivates and writes for itself.</summary>
    public void Forget(GrainId shopper)
    {
        lock (_lock) _pending.Remove(shopper);
    }

    public void Dispose()
    {
        lock (_lock) _disposed = true;
        _timer.Dispose();
    }

    private void FlushDue()
    {
        List<GrainId>? due = null;
        lock (_lock)
        {
            _armed = false;
            if (_disposed) return;
            var now = _time.GetUtcNow();
            // Full: the next answer comes back here and takes the next due shopper.
            while (_inFlight < _maxInFlight && _queue.TryPeek(out var head))
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
                _inFlight++;
                (due ??= []).Add(head.Shopper);
            }
            // A burst leaves both sized for its peak; give that back once everyone is written.
            if (_queue.Count == 0)
            {
                _queue.TrimExcess();
                _pending.TrimExcess();
            }
        }
        // Nothing is awaited here; a failed write is the grain's to report, and its answer frees the slot all the same.
        if (due is null) return;
        foreach (var shopper in due)
        {
            Task flushed;
            try
            {
                flushed = _grains.GetGrain<IShopperFlushGrain>(shopper).FlushAsync();
            }
            catch (Exception ex)
            {
                flushed = Task.FromException(ex);
            }
            flushed.ContinueWith(_answered, TaskScheduler.Default);
        }
    }

    private void Answered()
    {
        lock (_lock) _inFlight--;
        FlushDue();
    }

    private void Arm(DateTimeOffset due)
    {
        // Marked first: a time provider may run a due timer at once, on this thread (the lock is reentrant).
        _armed = true;
        var wait = due - _time.GetUtcNow();
        _timer.Change(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
