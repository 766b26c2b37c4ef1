namespace Personalize.Triggers;

/// <summary>
/// The count questions one judgement can ask (those of the triggers woken by one event type, or of the
/// idle triggers), grouped by filter, so a host can answer all of them in one pass over its click stream:
/// for each click, only the filters it matches (a bit set in <see cref="FilterMask"/>) lead to work.
/// </summary>
public sealed class ClickCountPlan
{
    private readonly ClickCount[] _counts;
    private readonly int[] _start;
    private readonly int[] _length;
    private readonly ulong[] _filterMask;

    internal ClickCountPlan(IEnumerable<ClickCount> counts, int filterCount)
    {
        _counts = [.. counts.Distinct().OrderBy(c => c.FilterIndex).ThenBy(c => c.Slot)];
        _start = new int[filterCount];
        _length = new int[filterCount];
        _filterMask = new ulong[MaskWords(filterCount)];
        for (var i = 0; i < _counts.Length; i++)
        {
            var filter = _counts[i].FilterIndex;
            if (_length[filter]++ == 0)
            {
                _start[filter] = i;
            }

            _filterMask[filter >> 6] |= 1UL << (filter & 63);
            if (_counts[i].Window > LongestWindow)
            {
                LongestWindow = _counts[i].Window;
            }
        }
    }

    /// <summary>Every question of the plan, grouped by filter.</summary>
    public ReadOnlySpan<ClickCount> Counts => _counts;

    /// <summary>Bit <c>i</c> of word <c>i / 64</c> is set when the plan asks about filter <c>i</c>.</summary>
    public ReadOnlySpan<ulong> FilterMask => _filterMask;

    /// <summary>No click older than this before now is ever counted.</summary>
    public TimeSpan LongestWindow { get; }

    /// <summary>The plan's questions about one filter of the catalog (empty when it asks none).</summary>
    public ReadOnlySpan<ClickCount> CountsOf(int filterIndex) => _counts.AsSpan(_start[filterIndex], _length[filterIndex]);

    /// <summary>Words of 64 bits needed for a mask over <paramref name="filterCount"/> filters.</summary>
    public static int MaskWords(int filterCount) => (filterCount + 63) >> 6;
}
