namespace Personalize.Triggers;

/// <summary>
/// What one <c>count</c> condition asks: how many clicks matching <see cref="Filter"/> fell within
/// <see cref="Window"/> of now. Triggers compiled together share one instance per distinct question, and
/// <see cref="Slot"/> numbers those questions densely, so a fact source can answer each once per event
/// (<see cref="CompiledCatalog.ClickCounts"/>) however many triggers ask it.
/// </summary>
public sealed class ClickCount
{
    internal ClickCount(ClickFilter filter, int filterIndex, TimeSpan window, int slot)
    {
        Filter = filter;
        FilterIndex = filterIndex;
        Window = window;
        Slot = slot;
    }

    public ClickFilter Filter { get; }

    /// <summary>Where <see cref="Filter"/> sits in <see cref="CompiledCatalog.ClickFilters"/> (dense, like <see cref="Slot"/>).</summary>
    public int FilterIndex { get; }

    public TimeSpan Window { get; }

    /// <summary>0-based and dense among the counts compiled together (a catalog, or one trigger alone).</summary>
    public int Slot { get; }

    public override string ToString() => $"count({Filter}) within {Window}";
}
