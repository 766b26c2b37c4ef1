using System.Collections.Frozen;

namespace Personalize.Triggers;

/// <summary>
/// One version of the trigger catalog, compiled once and shared read-only by every shopper on a silo.
/// Lookups by event type return pre-sorted arrays: highest priority first, then id, so ties resolve the
/// same way on every silo.
/// </summary>
public sealed class CompiledCatalog
{
    private static readonly Comparison<CompiledTrigger> FiringOrder = (a, b) =>
        a.Priority != b.Priority ? b.Priority.CompareTo(a.Priority) : string.CompareOrdinal(a.Id, b.Id);

    private readonly FrozenDictionary<string, CompiledTrigger[]> _byEvent;
    private readonly FrozenDictionary<string, TriggerDecision> _decisionsByEvent;
    private readonly FrozenDictionary<string, string[]> _strategiesByEvent;
    private readonly FrozenDictionary<string, CompiledTrigger> _byId;
    private readonly CompiledTrigger[] _all;
    private readonly CompiledTrigger[] _idle;
    private readonly string[] _idleStrategies;
    private readonly ClickCount[] _clickCounts;
    private readonly ClickFilter[] _clickFilters;
    private readonly FrozenDictionary<string, ClickCountPlan> _plansByEvent;
    private readonly ClickCountPlan _idlePlan;
    private readonly TriggerDecision _noDecision;

    private CompiledCatalog(long version, CompiledTrigger[] all, SharedConditions shared)
    {
        Version = version;
        _all = all;
        Shared = shared;
        _clickCounts = [.. shared.All];
        _clickFilters = [.. shared.Filters];
        var clickFilters = _clickFilters;
        _idle = [.. all.Where(t => t.IdleSeconds is not null)];
        _idleStrategies = Strategies(_idle);
        _idlePlan = new ClickCountPlan(_idle.SelectMany(t => t.ClickCounts), clickFilters.Length);
        _byEvent = all
            .Where(t => t.OnEvent is not null)
            .GroupBy(t => t.OnEvent!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _decisionsByEvent = _byEvent.ToFrozenDictionary(e => e.Key, e => new TriggerDecision(e.Value, shared), StringComparer.Ordinal);
        _noDecision = new TriggerDecision([], shared);
        _strategiesByEvent = _byEvent.ToFrozenDictionary(e => e.Key, e => Strategies(e.Value), StringComparer.Ordinal);
        _plansByEvent = _byEvent.ToFrozenDictionary(
            e => e.Key, e => new ClickCountPlan(e.Value.SelectMany(t => t.ClickCounts), clickFilters.Length), StringComparer.Ordinal);
        _byId = all.ToFrozenDictionary(t => t.Id, StringComparer.Ordinal);
    }

    public static CompiledCatalog Empty { get; } = new(0, [], new SharedConditions());

    public long Version { get; }

    /// <summary>What its triggers' conditions have in common (memo slots, count questions).</summary>
    internal SharedConditions Shared { get; }

    /// <summary>Every trigger that is not paused, in firing order.</summary>
    public IReadOnlyList<CompiledTrigger> All => _all;

    /// <summary>Triggers woken by idleness, in firing order.</summary>
    public IReadOnlyList<CompiledTrigger> IdleTriggers => _idle;

    /// <summary>
    /// Every distinct question the catalog's count conditions ask, indexed by <see cref="ClickCount.Slot"/>:
    /// triggers counting the same clicks over the same window share one.
    /// </summary>
    public IReadOnlyList<ClickCount> ClickCounts => _clickCounts;

    /// <summary>The distinct filters of <see cref="ClickCounts"/>, indexed by <see cref="ClickCount.FilterIndex"/>.</summary>
    public IReadOnlyList<ClickFilter> ClickFilters => _clickFilters;

    /// <summary>
    /// Compiles the catalog. Paused triggers are left out; disabled ones stay in and answer false from
    /// <see cref="CompiledTrigger.IsActiveAt"/>. Ids must be unique.
    /// </summary>
    public static CompiledCatalog Compile(long version, IEnumerable<(TriggerDefinition Definition, bool Paused)> triggers)
    {
        ArgumentNullException.ThrowIfNull(triggers);
        var shared = new SharedConditions();
        var compiled = triggers.Where(t => !t.Paused).Select(t => CompiledTrigger.Compile(t.Definition, shared)).ToArray();
        var duplicate = compiled.GroupBy(t => t.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Trigger id '{duplicate.Key}' appears more than once.", nameof(triggers));
        }

        Array.Sort(compiled, FiringOrder);
        return new CompiledCatalog(version, compiled, shared);
    }

    /// <summary>Triggers woken by <paramref name="eventType"/>, in firing order; empty for an unknown type.</summary>
    public ReadOnlySpan<CompiledTrigger> ForEvent(string eventType)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        return _byEvent.TryGetValue(eventType, out var triggers) ? triggers : ReadOnlySpan<CompiledTrigger>.Empty;
    }

    /// <summary>
    /// The triggers woken by <paramref name="eventType"/> (those of <see cref="ForEvent"/>, in the same
    /// order) compiled into one decision structure; empty for an unknown type.
    /// </summary>
    public TriggerDecision DecisionFor(string eventType)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        return _decisionsByEvent.TryGetValue(eventType, out var decision) ? decision : _noDecision;
    }

    /// <summary>
    /// The strategies of the <c>recommendations</c> actions among the triggers woken by
    /// <paramref name="eventType"/> (idle triggers when null), each once: what to look up before judging.
    /// </summary>
    public ReadOnlySpan<string> RecommendationStrategies(string? eventType) =>
        eventType is null ? _idleStrategies
        : _strategiesByEvent.TryGetValue(eventType, out var strategies) ? strategies
        : ReadOnlySpan<string>.Empty;

    /// <summary>The count questions of the triggers woken by <paramref name="eventType"/> (idle triggers when null).</summary>
    public ClickCountPlan CountsFor(string? eventType) =>
        eventType is null ? _idlePlan
        : _plansByEvent.TryGetValue(eventType, out var plan) ? plan
        : NoCounts;

    private static readonly ClickCountPlan NoCounts = new([], 0);

    private static string[] Strategies(IEnumerable<CompiledTrigger> triggers) =>
    [
        .. triggers
            .Select(t => t.Definition.Action)
            .Where(a => a.Type == "recommendations" && a.Strategy is not null)
            .Select(a => a.Strategy!)
            .Distinct(StringComparer.Ordinal),
    ];

    public bool TryGet(string id, out CompiledTrigger? trigger) => _byId.TryGetValue(id, out trigger);
}
