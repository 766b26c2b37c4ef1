namespace Personalize.Triggers;

/// <summary>
/// The answers of a catalog's leaf conditions during one judgement. Structurally equal conditions of
/// different triggers share a slot, so each is evaluated once however many triggers carry it. A host
/// calls <see cref="Begin"/> before every judgement, since facts change between judgements; an answer is
/// never read in a judgement other than the one that stored it, so one memo can serve any number of
/// shoppers in turn (the shopper grain rents one per judgement from a pool instead of keeping one each).
/// </summary>
public sealed class ConditionMemo
{
    private SharedConditions? _owner;
    private long _judgement;
    private long[] _stamps = [];
    private bool[] _answers = [];

    /// <summary>Forgets every answer and makes room for <paramref name="catalog"/>'s conditions (allocating only when it has more than before).</summary>
    public void Begin(CompiledCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _owner = catalog.Shared;
        _judgement++;
        var slots = _owner.LeafCount;
        if (_stamps.Length < slots)
        {
            _stamps = new long[slots];
            _answers = new bool[slots];
        }
    }

    /// <summary>Whether slots of triggers compiled with <paramref name="shared"/> are the ones memoised.</summary>
    internal bool Covers(SharedConditions shared) => ReferenceEquals(_owner, shared);

    internal bool TryGet(int slot, out bool answer)
    {
        answer = _answers[slot];
        return _stamps[slot] == _judgement;
    }

    internal void Set(int slot, bool answer)
    {
        _answers[slot] = answer;
        _stamps[slot] = _judgement;
    }
}
