namespace Personalize.Triggers;

/// <summary>A trigger ready to run: its conditions compiled once, evaluated per event without allocating.</summary>
public sealed class CompiledTrigger
{
    private readonly ConditionNode[] _nodes;
    private readonly int _rootCount;

    private CompiledTrigger(TriggerDefinition definition, ClickCountRegistry counts)
    {
        Definition = definition;
        _nodes = ConditionCompiler.Compile(definition.Conditions, counts, out _rootCount);
    }

    public TriggerDefinition Definition { get; }

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
        return new CompiledTrigger(definition, new ClickCountRegistry());
    }

    /// <summary>Compiles one trigger of a catalog, sharing its count questions with the others.</summary>
    internal static CompiledTrigger Compile(TriggerDefinition definition, ClickCountRegistry counts) => new(definition, counts);

    /// <summary>Enabled, and inside [ActiveFrom, ActiveUntil).</summary>
    public bool IsActiveAt(DateTimeOffset now) =>
        Definition.Enabled
        && (Definition.ActiveFrom is not { } from || now >= from)
        && (Definition.ActiveUntil is not { } until || now < until);

    /// <summary>True when every condition holds. Allocates nothing, given a source that allocates nothing.</summary>
    public bool Evaluate<TFacts>(TFacts facts)
        where TFacts : IFactSource
    {
        if (facts is null)
        {
            throw new ArgumentNullException(nameof(facts));
        }

        return ConditionEvaluator.All(_nodes, 0, _rootCount, facts);
    }

    public override string ToString() => $"{Id} (priority {Priority})";
}
