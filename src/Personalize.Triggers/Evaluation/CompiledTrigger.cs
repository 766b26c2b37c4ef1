namespace Personalize.Triggers;

/// <summary>A trigger ready to run: its conditions compiled once, evaluated per event without allocating.</summary>
public sealed class CompiledTrigger
{
    private readonly ConditionNode[] _nodes;
    private readonly int _rootCount;
    private readonly SharedConditions _shared;

    // Copied out of the definition: every woken trigger is asked, every event.
    private readonly bool _enabled;
    private readonly long _activeFromTicks;
    private readonly long _activeUntilTicks;

    private CompiledTrigger(TriggerDefinition definition, SharedConditions shared)
    {
        Definition = definition;
        _shared = shared;
        _enabled = definition.Enabled;
        _activeFromTicks = definition.ActiveFrom?.UtcTicks ?? long.MinValue;
        _activeUntilTicks = definition.ActiveUntil?.UtcTicks ?? long.MaxValue;
        _nodes = ConditionCompiler.Compile(definition.Conditions, shared, out _rootCount);
    }

    public TriggerDefinition Definition { get; }

    /// <summary>Its compiled conditions: the first <see cref="RootCount"/> are the root's, cheapest first.</summary>
    internal ReadOnlySpan<ConditionNode> Nodes => _nodes;

    internal int RootCount => _rootCount;

    /// <summary>Enabled with no active window: active at every instant.</summary>
    internal bool IsAlwaysActive => _enabled && _activeFromTicks == long.MinValue && _activeUntilTicks == long.MaxValue;

    /// <summary>The count questions among its conditions.</summary>
    internal IEnumerable<ClickCount> ClickCounts => _nodes.Where(n => n.Count is not null).Select(n => n.Count!);

    public string Id => Definition.Id;

    public int Priority => Definition.Priority;

    /// <summary>The event type that wakes this trigger, or null for an idle trigger.</summary>
    public string? OnEvent => Definition.On.Event;

    /// <summary>Seconds without events that wake this trigger, or null for an event trigger.</summary>
    public int? IdleSeconds => Definition.On.IdleSeconds;

    /// <summary>Compiles one definition (the simulator uses this for a trigger that is not in the catalog).</summary>
    public static CompiledTrigger Compile(TriggerDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new CompiledTrigger(definition, new SharedConditions());
    }

    /// <summary>Compiles one trigger of a catalog, sharing its count questions with the others.</summary>
    internal static CompiledTrigger Compile(TriggerDefinition definition, SharedConditions shared) => new(definition, shared);

    /// <summary>Enabled, and inside [ActiveFrom, ActiveUntil).</summary>
    public bool IsActiveAt(DateTimeOffset now) =>
        _enabled && now.UtcTicks >= _activeFromTicks && now.UtcTicks < _activeUntilTicks;

    /// <summary>True when every condition holds. Allocates nothing, given a source that allocates nothing.</summary>
    public bool Evaluate<TFacts>(TFacts facts)
        where TFacts : IFactSource => Evaluate(facts, memo: null);

    /// <summary>
    /// True when every condition holds, reusing (and storing) the answers of conditions this judgement
    /// already evaluated for other triggers of the same catalog. A memo begun for another catalog is ignored.
    /// </summary>
    public bool Evaluate<TFacts>(TFacts facts, ConditionMemo? memo)
        where TFacts : IFactSource
    {
        if (facts is null)
        {
            throw new ArgumentNullException(nameof(facts));
        }

        return ConditionEvaluator.All(_nodes, 0, _rootCount, facts, memo is not null && memo.Covers(_shared) ? memo : null);
    }

    public override string ToString() => $"{Id} (priority {Priority})";
}
