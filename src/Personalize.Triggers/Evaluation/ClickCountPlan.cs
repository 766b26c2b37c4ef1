namespace Personalize.Triggers;

/// <summary>
/// The count questions one judgement can ask (those of the triggers woken by one event type, or of the
/// idle triggers), laid out so a host can answer all of them in one pass over its click stream: for each
/// click, only the filters it matches (bits set in <see cref="FilterMask"/>) lead to work, and the
/// windows are a short ascending list, so a click is tallied once per filter at the narrowest window
/// still open and the wider windows are sums.
/// </summary>
public sealed class ClickCountPlan
{
    private readonly ClickCount[] _counts;
    private readonly int[] _levels;
    private readonly TimeSpan[] _windows;
    private readonly ulong[] _filterMask;

    internal ClickCountPlan(IEnumerable<ClickCount> counts, int filterCount)
    {
        _counts = [.. counts.Distinct().OrderBy(c => c.Slot)];
        _windows = [.. _counts.Select(c => c.Window).Distinct().Order()];
        _levels = [.. _counts.Select(c => Array.IndexOf(_windows, c.Window))];
        _filterMask = new ulong[MaskWords(filterCount)];
        foreach (var count in _counts)
        {
            _filterMask[count.FilterIndex >> 6] |= 1UL << (count.FilterIndex & 63);
        }
    }

    /// <summary>Every question of the plan.</summary>
    public ReadOnlySpan<ClickCount> Counts => _counts;

    /// <summary>For each of <see cref="Counts"/>, the index of its window in <see cref="Windows"/>.</summary>
    public ReadOnlySpan<int> Levels => _levels;

    /// <summary>The distinct windows asked about, narrowest first.</summary>
    public ReadOnlySpan<TimeSpan> Windows => _windows;

    /// <summary>Bit <c>i</c> of word <c>i / 64</c> is set when the plan asks about filter <c>i</c> of the catalog.</summary>
    public ReadOnlySpan<ulong> FilterMask => _filterMask;

    /// <summary>Words of 64 bits needed for a mask over <paramref name="filterCount"/> filters.</summary>
    public static int MaskWords(int filterCount) => (filterCount + 63) >> 6;
}
