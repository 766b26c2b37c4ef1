using Personalize.Triggers;

namespace Personalize.Grains;

/// <summary>
/// What one judgement memoises (numeric facts, count answers, condition answers), rented from a small
/// process-wide pool for the length of the judgement and given back after. A shopper between events
/// holds none of it: kept per shopper it cost every idle grain about 600 bytes. A judgement may await
/// the daily budget mid-loop and resume on another thread, so a scratch belongs to whoever rented it,
/// never to a thread: the per-thread slot below is only where a returned one waits, taken out on renting.
/// </summary>
/// <remarks>
/// Nothing leaks from one judgement to the next, whoever held it: <see cref="Begin"/> moves
/// <see cref="Stamp"/> on and clears the known-number bits, a count answer is read only while its stamp
/// equals <see cref="Stamp"/>, and <see cref="ConditionMemo.Begin"/> does the same for conditions.
/// </remarks>
internal sealed class JudgementScratch
{
    // Two per core covers every judgement in flight except those waiting on the budget; more are made
    // when needed and dropped by the GC instead of being kept.
    private static readonly JudgementScratch?[] Pool = new JudgementScratch?[Environment.ProcessorCount * 2];

    // The common case (judging that did not await) gives back on the thread that rented: no interlocked
    // operation, and the same scratch, whose arrays are already the size of the catalog.
    [ThreadStatic]
    private static JudgementScratch? t_spare;

    public ShopperEvent? Event;
    public DateTimeOffset Now;
    public CompiledCatalog Catalog = CompiledCatalog.Empty;
    public string? EventType;
    public long Stamp;
    public bool Tallied;
    public ulong NumbersKnown;
    public readonly double?[] Numbers = new double?[(int)Fact.Count + 1];
    public long[] CountStamps = [];
    public ClickCount?[] CountKeys = [];
    public int[] CountValues = [];
    public readonly ConditionMemo Conditions = new();

    public static JudgementScratch Rent()
    {
        if (t_spare is { } spare)
        {
            t_spare = null;
            return spare;
        }
        for (var i = 0; i < Pool.Length; i++)
        {
            if (Volatile.Read(ref Pool[i]) is not null && Interlocked.Exchange(ref Pool[i], null) is { } scratch) return scratch;
        }
        return new JudgementScratch();
    }

    public static void Return(JudgementScratch scratch)
    {
        // The event and catalog are not kept alive by an idle pool entry.
        scratch.Event = null;
        scratch.EventType = null;
        scratch.Catalog = CompiledCatalog.Empty;
        if (t_spare is null)
        {
            t_spare = scratch;
            return;
        }
        for (var i = 0; i < Pool.Length; i++)
        {
            if (Volatile.Read(ref Pool[i]) is null && Interlocked.CompareExchange(ref Pool[i], scratch, null) is null) return;
        }
    }

    /// <summary>Forgets every memoised answer and makes room for <paramref name="catalog"/>'s count questions.</summary>
    public void Begin(CompiledCatalog catalog, string? eventType, DateTimeOffset now)
    {
        Catalog = catalog;
        EventType = eventType;
        Now = now;
        Stamp++;
        Tallied = false;
        NumbersKnown = 0;
        Conditions.Begin(catalog);
        var slots = catalog.ClickCounts.Count;
        if (CountKeys.Length < slots)
        {
            // Grows with the largest catalog seen, never per event.
            CountKeys = new ClickCount?[slots];
            CountValues = new int[slots];
            CountStamps = new long[slots];
        }
    }

    public bool IsAnswered(ClickCount count) =>
        count.Slot < CountKeys.Length && CountStamps[count.Slot] == Stamp && ReferenceEquals(CountKeys[count.Slot], count);
}
