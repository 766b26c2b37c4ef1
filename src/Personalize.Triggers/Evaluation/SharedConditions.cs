namespace Personalize.Triggers;

/// <summary>
/// What the triggers compiled together have in common: one slot per distinct leaf condition (so a
/// <see cref="ConditionMemo"/> evaluates each once per judgement), one <see cref="ClickCount"/> per distinct
/// (where, window) and one <see cref="ClickFilter"/> per distinct where, so a host counts each once.
/// </summary>
internal sealed class SharedConditions
{
    private readonly Dictionary<Condition, int> _leaves = [];
    private readonly Dictionary<ClickWhere, int> _filterIndex = [];
    private readonly List<ClickFilter> _filters = [];
    private readonly Dictionary<(int Filter, TimeSpan Window), ClickCount> _counts = [];
    private readonly List<ClickCount> _all = [];

    /// <summary>Indexed by <see cref="ClickCount.Slot"/>.</summary>
    public IReadOnlyList<ClickCount> All => _all;

    /// <summary>Indexed by <see cref="ClickCount.FilterIndex"/>.</summary>
    public IReadOnlyList<ClickFilter> Filters => _filters;

    /// <summary>How many distinct leaves were seen: the size of a <see cref="ConditionMemo"/> for them.</summary>
    public int LeafCount => _leaves.Count;

    /// <summary>The memo slot of a leaf condition; structurally equal leaves share one.</summary>
    public int LeafSlot(Condition leaf)
    {
        if (!_leaves.TryGetValue(leaf, out var slot))
        {
            _leaves[leaf] = slot = _leaves.Count;
        }

        return slot;
    }

    public ClickCount Count(ClickWhere where, TimeSpan window)
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
