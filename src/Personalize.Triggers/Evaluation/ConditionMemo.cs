namespace Personalize.Triggers;

/// <summary>
/// The answers of a catalog's conditions during one judgement. Structurally equal conditions of
/// different triggers share a slot, so each is evaluated once however many triggers carry it. A host
/// calls <see cref="Begin"/> before every judgement, since facts change between judgements; an answer is
/// never read in a judgement other than the one that stored it, so one memo can serve any number of
/// shoppers in turn (the shopper grain rents one per judgement from a pool instead of keeping one each).
/// </summary>
/// <remarks>
/// Two kinds of answer: per leaf slot, for triggers evaluated one by one (<see cref="CompiledTrigger.Evaluate{TFacts}(TFacts, ConditionMemo?)"/>),
/// and bit sets of triggers and steps for a <see cref="TriggerDecision"/>, which judges the triggers of one event type together.
/// </remarks>
public sealed class ConditionMemo
{
    private SharedConditions? _owner;
    private long _judgement;
    private long[] _stamps = [];
    private bool[] _answers = [];

    private TriggerDecision? _decision;
    private ulong[] _alive = [];
    private ulong[] _known = [];
    private ulong[] _holds = [];

    /// <summary>Forgets every answer and makes room for <paramref name="catalog"/>'s conditions (allocating only when it has more than before).</summary>
    public void Begin(CompiledCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _owner = catalog.Shared;
        _judgement++;
        _decision = null;
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

    /// <summary>
    /// The bit sets of <paramref name="decision"/> in this judgement, cleared the first time it is asked
    /// after <see cref="Begin"/> (or after another decision was asked). They grow with the largest decision
    /// seen, never per event.
    /// </summary>
    internal DecisionAnswers Decide(TriggerDecision decision)
    {
        if (!Covers(decision.Shared))
        {
            throw new InvalidOperationException("Begin the memo with the decision's catalog before judging.");
        }

        var fresh = !ReferenceEquals(_decision, decision);
        if (fresh)
        {
            _decision = decision;
            if (_alive.Length < decision.TriggerWords)
            {
                _alive = new ulong[decision.TriggerWords];
            }

            if (_known.Length < decision.StepWords)
            {
                _known = new ulong[decision.StepWords];
                _holds = new ulong[decision.StepWords];
            }

            Array.Clear(_known, 0, decision.StepWords);
            Array.Clear(_holds, 0, decision.StepWords);
        }

        return new DecisionAnswers(
            _alive.AsSpan(0, decision.TriggerWords), _known.AsSpan(0, decision.StepWords), _holds.AsSpan(0, decision.StepWords), fresh);
    }
}
