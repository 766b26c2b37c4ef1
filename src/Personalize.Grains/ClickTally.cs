using System.Numerics;
using Personalize.Triggers;

namespace Personalize.Grains;

/// <summary>
/// Answers every count question of one judgement (a <see cref="ClickCountPlan"/>) from bit sets kept over
/// the click ring. For each of the catalog's filters, one bit per ring position says whether the click
/// there matches; it is worked out once per click and kept with a reference to it. The ring only gains
/// clicks at its end and loses them at its start, so an event costs the matching of its own click; a
/// judgement then finds where each window starts (one pass over the clicks' times) and answers each
/// question with a popcount of its filter's bits within its window.
/// </summary>
/// <remarks>
/// A kept match is reused only for the very same click: the same object in the same <see cref="Click.Version"/>
/// (a full ring reuses its oldest click object for the newest event), so a ring changed in any other way is
/// still counted right, just matched again.
/// </remarks>
internal sealed class ClickTally
{
    private CompiledCatalog? _catalog;
    private int _filters;
    private int _ringWords;

    // A circular buffer: the ring's click i is at (_start + i) % capacity, for the first _known clicks.
    private Click?[] _clicks = [];
    private ulong[] _matches = []; // filter f's bit for position p: word f * _ringWords + p / 64
    private long[] _ticks = []; // each click's time, so the pass reads arrays instead of chasing a hundred objects
    private int[] _versions = []; // each kept click's version when it was matched
    private int _start;
    private int _known;

    // Scratch for one tally, kept to avoid allocating per event: per window level, the ring positions inside it.
    private ulong[] _inWindow = [];

    /// <summary>Sets <paramref name="values"/>[slot] for every question of <paramref name="plan"/> (a plan of <paramref name="catalog"/>).</summary>
    public void Count(CompiledCatalog catalog, ClickCountPlan plan, List<Click> ring, DateTimeOffset now, int[] values)
    {
        var counts = plan.Counts;
        if (counts.IsEmpty) return;
        Refresh(catalog, ring);

        // A question stops at the first click, newest first, older than its window (as a scan that breaks
        // there would): window level L holds the clicks from cut L on, where cut L is one past the newest
        // click older than the window. Windows are narrowest first, so each closes no later than the next.
        var windows = plan.Windows;
        var levels = windows.Length;
        var words = _ringWords;
        if (_inWindow.Length < levels * words) _inWindow = new ulong[levels * words];
        var nowTicks = now.UtcTicks;
        var open = 0;
        var oldestSeen = long.MaxValue;
        var i = _known - 1;
        for (; i >= 0 && open < levels; i--)
        {
            var at = _ticks[Position(i)];
            if (at >= oldestSeen) continue;
            oldestSeen = at;
            while (open < levels && at < nowTicks - windows[open].Ticks)
                Window(open++, i + 1);
        }
        while (open < levels)
            Window(open++, 0);

        var countLevels = plan.Levels;
        for (var c = 0; c < counts.Length; c++)
        {
            var matches = _matches.AsSpan(counts[c].FilterIndex * words, words);
            var inWindow = _inWindow.AsSpan(countLevels[c] * words, words);
            var total = 0;
            for (var w = 0; w < words; w++)
                total += BitOperations.PopCount(matches[w] & inWindow[w]);
            values[counts[c].Slot] = total;
        }
    }

    /// <summary>Marks the ring positions of clicks <paramref name="from"/> to the newest as inside window <paramref name="level"/>.</summary>
    private void Window(int level, int from)
    {
        var mask = _inWindow.AsSpan(level * _ringWords, _ringWords);
        mask.Clear();
        var first = Position(from);
        var count = _known - from;
        var tail = Math.Min(count, _clicks.Length - first);
        SetBits(mask, first, tail);
        SetBits(mask, 0, count - tail); // wrapped round to the buffer's start
    }

    private static void SetBits(Span<ulong> mask, int from, int count)
    {
        for (var end = from + count; from < end;)
        {
            var bit = from & 63;
            var take = Math.Min(64 - bit, end - from);
            mask[from >> 6] |= (take == 64 ? ulong.MaxValue : (1UL << take) - 1) << bit;
            from += take;
        }
    }

    /// <summary>Brings the kept matches in line with the ring: drops clicks gone from its start, matches new ones.</summary>
    private void Refresh(CompiledCatalog catalog, List<Click> ring)
    {
        var n = ring.Count;
        if (!ReferenceEquals(catalog, _catalog) || _clicks.Length < n)
        {
            _catalog = catalog;
            _filters = catalog.ClickFilters.Count;
            // Sized to the ring as it is (doubling as it grows, up to its cap): a shopper with a short
            // session keeps a short tally, and every shopper asked a count keeps one.
            var size = _clicks.Length >= n ? _clicks.Length : Math.Max(n, Math.Min(Math.Max(_clicks.Length * 2, 8), ShopperLimits.ClickRing));
            _clicks = new Click?[size];
            _ringWords = (size + 63) >> 6;
            _matches = new ulong[_filters * _ringWords];
            _ticks = new long[_clicks.Length];
            _versions = new int[_clicks.Length];
            _start = _known = 0;
        }

        var gone = 0;
        while (gone < _known && n > 0 && !Knows(Position(gone), ring[0]))
            _clicks[Position(gone++)] = null;
        _start = Position(gone);
        _known -= gone;

        for (var i = 0; i < n; i++)
        {
            var at = Position(i);
            var click = ring[i];
            if (i < _known && Knows(at, click)) continue;
            _clicks[at] = click;
            _versions[at] = click.Version;
            _ticks[at] = click.At.UtcTicks;
            Match(catalog.ClickFilters, click, at);
        }
        for (var i = n; i < _known; i++)
            _clicks[Position(i)] = null;
        _known = n;
    }

    private bool Knows(int position, Click click) => ReferenceEquals(_clicks[position], click) && _versions[position] == click.Version;

    private int Position(int i)
    {
        var at = _start + i;
        return at < _clicks.Length ? at : at - _clicks.Length;
    }

    /// <summary>Sets or clears <paramref name="position"/>'s bit in every filter's set (a position outside the ring is never counted, whatever its bits).</summary>
    private void Match(IReadOnlyList<ClickFilter> filters, Click click, int position)
    {
        var channel = click.Channel ?? Channels.Web;
        var word = position >> 6;
        var bit = 1UL << (position & 63);
        for (var f = 0; f < filters.Count; f++)
        {
            ref var bits = ref _matches[f * _ringWords + word];
            bits = filters[f].Matches(click.Type, click.ProductId, click.CategoryId, channel) ? bits | bit : bits & ~bit;
        }
    }
}
