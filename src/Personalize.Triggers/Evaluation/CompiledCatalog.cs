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
    private readonly FrozenDictionary<string, CompiledTrigger> _byId;
    private readonly CompiledTrigger[] _all;
    private readonly CompiledTrigger[] _idle;

    private CompiledCatalog(long version, CompiledTrigger[] all)
    {
        Version = version;
        _all = all;
        _idle = [.. all.Where(t => t.IdleSeconds is not null)];
        _byEvent = all
            .Where(t => t.OnEvent is not null)
            .GroupBy(t => t.OnEvent!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _byId = all.ToFrozenDictionary(t => t.Id, StringComparer.Ordinal);
    }

    public static CompiledCatalog Empty { get; } = new(0, []);

    public long Version { get; }

    /// <summary>Every trigger that is not paused, in firing order.</summary>
    public IReadOnlyList<CompiledTrigger> All => _all;

    /// <summary>Triggers woken by idleness, in firing order.</summary>
    public IReadOnlyList<CompiledTrigger> IdleTriggers => _idle;

    /// <summary>
    /// Compiles the catalog. Paused triggers are left out; disabled ones stay in and answer false from
    /// <see cref="CompiledTrigger.IsActiveAt"/>. Ids must be unique.
    /// </summary>
    public static CompiledCatalog Compile(long version, IEnumerable<(TriggerDefinition Definition, bool Paused)> triggers)
    {
        ArgumentNullException.ThrowIfNull(triggers);
        var compiled = triggers.Where(t => !t.Paused).Select(t => CompiledTrigger.Compile(t.Definition)).ToArray();
        var duplicate = compiled.GroupBy(t => t.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Trigger id '{duplicate.Key}' appears more than once.", nameof(triggers));
        }

        Array.Sort(compiled, FiringOrder);
        return new CompiledCatalog(version, compiled);
    }

    /// <summary>Triggers woken by <paramref name="eventType"/>, in firing order; empty for an unknown type.</summary>
    public ReadOnlySpan<CompiledTrigger> ForEvent(string eventType)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        return _byEvent.TryGetValue(eventType, out var triggers) ? triggers : ReadOnlySpan<CompiledTrigger>.Empty;
    }

    public bool TryGet(string id, out CompiledTrigger? trigger) => _byId.TryGetValue(id, out trigger);
}
