using System.Numerics;
using Personalize.Triggers;

namespace Personalize.Grains;

/// <summary>
/// Answers every count question of one judgement (a <see cref="ClickCountPlan"/>) in one pass over the
/// click ring. Which of the catalog's filters a click matches is worked out once per click and kept with a
/// reference to it; the ring only gains clicks at its end and loses them at its start, so an event costs
/// the matching of its own click plus one pass of bit tests, however many triggers count.
/// </summary>
/// <remarks>A kept match is reused only for the very same (immutable) click, so a ring changed in any other way is still counted right, just matched again.</remarks>
internal sealed class ClickTally
{
    private CompiledCatalog? _catalog;
    private int _words;

    // A circular buffer: the ring's click i is at (_start + i) % capacity, for the first _known clicks.
    private Click?[] _clicks = [];
    private ulong[] _masks = [];
    private long[] _ticks = []; // each click's time, so the pass reads arrays instead of chasing a hundred objects
    private int _start;
    private int _known;

    // Scratch for one tally, kept to avoid allocating per event.
    private int[] _hits = [];

    /// <summary>Sets <paramref name="values"/>[slot] for every question of <paramref name="plan"/> (a plan of <paramref name="catalog"/>).</summary>
    public void Count(CompiledCatalog catalog, ClickCountPlan plan, List<Click> ring, DateTimeOffset now, int[] values)
    {
        var counts = plan.Counts;
        if (counts.IsEmpty) return;
        Refresh(catalog, ring);

        // hits[filter * levels + level]: clicks matching the filter while windows[level] was the narrowest
        // still open. A question stops at the first click, newest first, older than its window (as a scan
        // that breaks there would), so a window closes for good once the oldest time seen falls outside it.
        var windows = plan.Windows;
        var levels = windows.Length;
        var size = catalog.ClickFilters.Count * levels;
        if (_hits.Length < size) _hits = new int[size];
        Array.Clear(_hits, 0, size);

        var asked = plan.FilterMask;
        var nowTicks = now.UtcTicks;
        var open = 0;
        var oldestSeen = long.MaxValue;
        for (var i = _known - 1; i >= 0; i--)
        {
            var position = Position(i);
            var at = _ticks[position];
            if (at < oldestSeen)
            {
                oldestSeen = at;
                while (open < levels && at < nowTicks - windows[open].Ticks) open++;
                if (open == levels) break;
            }
            var row = position * _words;
            for (var w = 0; w < asked.Length; w++)
            {
                for (var bits = _masks[row + w] & asked[w]; bits != 0; bits &= bits - 1)
                    _hits[((w << 6) + BitOperations.TrailingZeroCount(bits)) * levels + open]++;
            }
        }

        var countLevels = plan.Levels;
        for (var c = 0; c < counts.Length; c++)
        {
            var first = counts[c].FilterIndex * levels;
            var total = 0;
            for (var level = 0; level <= countLevels[c]; level++)
                total += _hits[first + level];
            values[counts[c].Slot] = total;
        }
    }

    /// <summary>Brings the kept matches in line with the ring: drops clicks gone from its start, matches new ones.</summary>
    private void Refresh(CompiledCatalog catalog, List<Click> ring)
    {
        var n = ring.Count;
        if (!ReferenceEquals(catalog, _catalog) || _clicks.Length < n)
        {
            _catalog = catalog;
            _words = ClickCountPlan.MaskWords(catalog.ClickFilters.Count);
            // Sized to the ring as it is (doubling as it grows, up to its cap): a shopper with a short
            // session keeps a short tally, and every shopper asked a count keeps one.
            var size = _clicks.Length >= n ? _clicks.Length : Math.Max(n, Math.Min(Math.Max(_clicks.Length * 2, 8), ShopperLimits.ClickRing));
            _clicks = new Click?[size];
            _masks = new ulong[_clicks.Length * _words];
            _ticks = new long[_clicks.Length];
            _start = _known = 0;
        }

        var gone = 0;
        while (gone < _known && n > 0 && !ReferenceEquals(_clicks[Position(gone)], ring[0]))
            _clicks[Position(gone++)] = null;
        _start = Position(gone);
        _known -= gone;

        for (var i = 0; i < n; i++)
        {
            var at = Position(i);
            var click = ring[i];
            if (i < _known && ReferenceEquals(_clicks[at], click)) continue;
            _clicks[at] = click;
            _ticks[at] = click.At.UtcTicks;
            Match(catalog.ClickFilters, click, _masks.AsSpan(at * _words, _words));
        }
        for (var i = n; i < _known; i++)
            _clicks[Position(i)] = null;
        _known = n;
    }

    private int Position(int i)
    {
        var at = _start + i;
        return at < _clicks.Length ? at : at - _clicks.Length;
    }

    private static void Match(IReadOnlyList<ClickFilter> filters, Click click, Span<ulong> mask)
    {
        mask.Clear();
        var channel = click.Channel ?? Channels.Web;
        for (var f = 0; f < filters.Count; f++)
        {
            if (filters[f].Matches(click.Type, click.ProductId, click.CategoryId, channel))
                mask[f >> 6] |= 1UL << (f & 63);
        }
    }
}
