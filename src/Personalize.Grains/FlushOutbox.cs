using Microsoft.Extensions.Logging;

namespace Personalize.Grains;

/// <summary>
/// The sending half of exactly-once counter flushes, shared by the per-process collectors (trigger stats,
/// referral funnel, NPS, purchase learning). Every batch goes out as a <see cref="FlushId"/> of this
/// outbox's source (new at each process start) and the next number of its sequence, and stays here until
/// its target grain answers. A failed call's outcome is unknown (a response timeout, a silo lost after the
/// write), so its batch is resent unchanged, same id, before anything newer goes to that target; the
/// target, which records the last sequence it applied per source (<see cref="FlushTarget"/>), applies it
/// only if it had not. Merging it into newer counts instead would send counts the target may already hold
/// under an id it has never seen. Newer counts of a waiting target stay in the collector's pending sums.
/// </summary>
public sealed class FlushOutbox<TTarget, TBatch>(string what, Func<TTarget, FlushId, TBatch, Task> send, ILogger logger)
    where TTarget : notnull
{
    private readonly Guid _source = Guid.NewGuid();
    private readonly SemaphoreSlim _flushLock = new(1, 1);
    private readonly Dictionary<TTarget, (FlushId Id, TBatch Batch)> _unanswered = [];
    private long _sequence;

    /// <summary>
    /// One flush: resends the batches still unanswered, then sends what <paramref name="take"/> hands over
    /// from the collector's pending sums. <paramref name="take"/> is told which targets may be sent to
    /// (those with no batch unanswered) and must leave the others' counts pending. One flush at a time;
    /// a failed batch is logged and kept for the next flush, so this does not throw.
    /// </summary>
    public async Task FlushAsync(Func<Func<TTarget, bool>, IEnumerable<KeyValuePair<TTarget, TBatch>>> take)
    {
        ArgumentNullException.ThrowIfNull(take);
        await _flushLock.WaitAsync();
        try
        {
            foreach (var (target, (id, batch)) in _unanswered.ToList()) await TrySendAsync(target, id, batch);
            foreach (var (target, batch) in take(target => !_unanswered.ContainsKey(target)).ToList())
            {
                var id = new FlushId(_source, ++_sequence);
                _unanswered.Add(target, (id, batch));
                await TrySendAsync(target, id, batch);
            }
        }
        finally
        {
            _flushLock.Release();
        }
    }

    private async Task TrySendAsync(TTarget target, FlushId id, TBatch batch)
    {
        try
        {
            await send(target, id, batch);
            _unanswered.Remove(target);
        }
        catch (Exception ex)
        {
            FlushOutbox.LogWarningSendFailed(logger, ex, what, target.ToString() ?? "", id.Sequence);
        }
    }
}

/// <summary>What the collectors hand to a <see cref="FlushOutbox{TTarget, TBatch}"/>, and its logging.</summary>
public static partial class FlushOutbox
{
    /// <summary>Takes the sums of the targets that may be sent to out of <paramref name="pending"/>; the others stay.</summary>
    public static List<KeyValuePair<TTarget, TBatch>> TakeSendable<TTarget, TBatch>(Dictionary<TTarget, TBatch> pending, Func<TTarget, bool> sendable)
        where TTarget : notnull
    {
        ArgumentNullException.ThrowIfNull(pending);
        var taken = pending.Where(kv => sendable(kv.Key)).ToList();
        foreach (var (target, _) in taken) pending.Remove(target);
        return taken;
    }

    /// <summary>
    /// For a collector with one target: all of <paramref name="pending"/> as one batch, replaced by an
    /// empty one, or nothing while that target still has a batch unanswered.
    /// </summary>
    public static KeyValuePair<TTarget, Dictionary<TKey, TValue>>[] TakeAll<TTarget, TKey, TValue>(
        TTarget target, ref Dictionary<TKey, TValue> pending, Func<TTarget, bool> sendable)
        where TKey : notnull
    {
        if (pending.Count == 0 || !sendable(target)) return [];
        var batch = pending;
        pending = new Dictionary<TKey, TValue>(batch.Comparer);
        return [new(target, batch)];
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Flushing {What} to {Target} failed; batch {Sequence} goes again, unchanged, before anything newer")]
    internal static partial void LogWarningSendFailed(ILogger logger, Exception ex, string what, string target, long sequence);
}
