namespace Personalize.Client;

/// <summary>
/// Remembers the last <c>capacity</c> push ids so a push replayed after a reconnect (delivery is at least
/// once) is raised once. Oldest ids are forgotten first: memory stays bounded on long-lived connections.
/// </summary>
public sealed class PushDeduplicator
{
    private readonly HashSet<string> _seen;
    private readonly Queue<string> _order;
    private readonly int _capacity;
    private readonly Lock _gate = new();

    public PushDeduplicator(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        // Grown as pushes arrive rather than sized to the capacity up front: most connections see a few
        // pushes, and a set and queue sized for 512 ids would hold ~12 KB per connection from the start.
        _seen = new HashSet<string>(StringComparer.Ordinal);
        _order = new Queue<string>();
    }

    public int Count
    {
        get { lock (_gate) { return _seen.Count; } }
    }

    /// <summary>True the first time an id is seen (within the remembered window).</summary>
    public bool TryAdd(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            if (!_seen.Add(id))
            {
                return false;
            }
            _order.Enqueue(id);
            if (_order.Count > _capacity)
            {
                _seen.Remove(_order.Dequeue());
            }
            return true;
        }
    }
}
