namespace Personalize;

/// <summary>
/// Names one batch a per-process collector flushed: the process's source id (new at every start) and the
/// batch's place in that source's sequence. A resent batch keeps its id, which is how its target knows it.
/// </summary>
[GenerateSerializer, Alias("Personalize.FlushId")]
public readonly record struct FlushId(
    [property: Id(0)] Guid Source,
    [property: Id(1)] long Sequence);

/// <summary>The last batch a counter grain applied from one source, and when (on the product's clock).</summary>
[GenerateSerializer, Alias("Personalize.AppliedFlush")]
public sealed record AppliedFlush(
    [property: Id(0)] long Sequence,
    [property: Id(1)] DateTimeOffset At);

/// <summary>
/// What a counter grain stores in the same write as its counters so that each flushed batch counts once:
/// the last sequence applied per source. A collector resends a batch whose answer it did not get before
/// it sends anything newer to that grain, so a sequence at or below the recorded one is a batch already
/// counted. A source silent for <see cref="SourceKept"/> is a process that is gone (a restarted one has a
/// new source), so it is forgotten and the row stays small.
/// </summary>
[GenerateSerializer, Alias("Personalize.AppliedFlushes")]
public sealed class AppliedFlushes
{
    public static readonly TimeSpan SourceKept = TimeSpan.FromDays(1);

    [Id(0)] public Dictionary<Guid, AppliedFlush> Sources { get; set; } = [];

    public bool Includes(FlushId flush) => Sources.TryGetValue(flush.Source, out var last) && flush.Sequence <= last.Sequence;

    /// <summary>Records <paramref name="flush"/> as applied at <paramref name="now"/> and forgets the sources silent for a day.</summary>
    public void Record(FlushId flush, DateTimeOffset now)
    {
        foreach (var gone in Sources.Where(kv => now - kv.Value.At >= SourceKept).Select(kv => kv.Key).ToList()) Sources.Remove(gone);
        Sources[flush.Source] = new AppliedFlush(flush.Sequence, now);
    }
}

/// <summary>The state of a grain that collectors flush counters to: it keeps the batches it applied beside the counters.</summary>
public interface IFlushTargetState
{
    AppliedFlushes AppliedFlushes { get; }
}
