namespace Personalize.Triggers;

/// <summary>
/// Hands out one <see cref="ClickCount"/> per distinct (where, window) among the triggers compiled together,
/// and one <see cref="ClickFilter"/> per distinct where, so equal questions are answered once per event.
/// </summary>
internal sealed class ClickCountRegistry
{
    private readonly Dictionary<ClickWhere, int> _filterIndex = [];
    private readonly List<ClickFilter> _filters = [];
    private readonly Dictionary<(int Filter, TimeSpan Window), ClickCount> _counts = [];
    private readonly List<ClickCount> _all = [];

    /// <summary>Indexed by <see cref="ClickCount.Slot"/>.</summary>
    public IReadOnlyList<ClickCount> All => _all;

    /// <summary>Indexed by <see cref="ClickCount.FilterIndex"/>.</summary>
    public IReadOnlyList<ClickFilter> Filters => _filters;

    public ClickCount Get(ClickWhere where, TimeSpan window)
    {
        if (!_filterIndex.TryGetValue(where, out var index))
        {
            _filterIndex[where] = index = _filters.Count;
            _filters.Add(where.Type is null && where.ProductId is null && where.CategoryId is null && where.Channel is null
                ? ClickFilter.Any
                : new ClickFilter(Shared(where.Type, TriggerVocabulary.EventTypes), where.ProductId, where.CategoryId, Shared(where.Channel, TriggerVocabulary.Channels)));
        }

        if (!_counts.TryGetValue((index, window), out var count))
        {
            _counts[(index, window)] = count = new ClickCount(_filters[index], index, window, _all.Count);
            _all.Add(count);
        }

        return count;
    }

    /// <summary>
    /// The vocabulary's own instance of a type or channel. Hosts keep clicks' types and channels as those
    /// same shared strings, so a match is usually decided by reference before any character is compared.
    /// </summary>
    private static string? Shared(string? name, IReadOnlyList<string> vocabulary)
    {
        foreach (var word in vocabulary)
        {
            if (string.Equals(word, name, StringComparison.Ordinal))
            {
                return word;
            }
        }

        return name;
    }
}
