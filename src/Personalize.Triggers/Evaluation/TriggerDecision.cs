using System.Numerics;

namespace Personalize.Triggers;

/// <summary>
/// The triggers one event type wakes, compiled into one decision structure shared by all of them. Their
/// conditions become distinct steps (a leaf, or an any group over other steps; equal conditions of
/// different triggers are one step), each trigger a run of the steps it needs at its root, cheapest
/// first, and each step a mask of the triggers that need it. A judgement walks the triggers still alive
/// in firing order; a step is evaluated at most once, and when it fails every trigger needing it dies
/// at once, so those are never visited. Steps that read the same value are answered together: text eq/ne
/// steps on one fact (<c>event.categoryId eq "shoes"</c>, <c>eq "bags"</c>, …) by one hash look-up of the
/// value (<see cref="EqualityIndex"/>), so a catalog split by category or product drops every other group on
/// the first question; gt/gte or lt/lte steps on one number (a fact or a count) by one read and masks
/// worked out at compile time (<see cref="ThresholdIndex"/>).
/// </summary>
/// <remarks>
/// Conditions have no side effects, so which trigger is found first depends on the facts alone, never on
/// the order or sharing of work: <see cref="NextMatch"/> finds exactly what judging each trigger on its own
/// would. Only the work saved differs.
/// </remarks>
public sealed class TriggerDecision
{
    private readonly CompiledTrigger[] _triggers;
    private readonly ConditionNode[] _steps;
    private readonly int[] _groupChildren;
    private readonly int[] _required;
    private readonly int[] _runStart;
    private readonly ulong[] _needs;
    private readonly ulong[] _alwaysActive;
    private readonly int[] _timed;
    private readonly EqualityIndex[] _equalities;
    private readonly ThresholdIndex[] _thresholds;

    // For each step, what answers it along with its siblings: equality index k as k + 1, threshold index
    // k as -(k + 1), 0 when it is answered alone.
    private readonly int[] _answeredBy;

    internal TriggerDecision(CompiledTrigger[] triggers, SharedConditions shared)
    {
        _triggers = triggers;
        Shared = shared;
        TriggerWords = Words(triggers.Length);
        var steps = new List<ConditionNode>();
        var children = new List<int>();
        var leafSteps = new Dictionary<int, int>();
        var groupSteps = new Dictionary<string, int>(StringComparer.Ordinal);
        var required = new List<int>();
        _runStart = new int[triggers.Length + 1];
        for (var t = 0; t < triggers.Length; t++)
        {
            _runStart[t] = required.Count;
            var nodes = triggers[t].Nodes;
            for (var i = 0; i < triggers[t].RootCount; i++)
            {
                required.Add(Step(nodes, i));
            }
        }

        _runStart[triggers.Length] = required.Count;
        _required = [.. required];
        _steps = [.. steps];
        _groupChildren = [.. children];
        StepWords = Words(_steps.Length);

        _needs = new ulong[_steps.Length * TriggerWords];
        for (var t = 0; t < triggers.Length; t++)
        {
            for (var r = _runStart[t]; r < _runStart[t + 1]; r++)
            {
                _needs[_required[r] * TriggerWords + (t >> 6)] |= 1UL << (t & 63);
            }
        }

        _alwaysActive = new ulong[TriggerWords];
        var timed = new List<int>();
        for (var t = 0; t < triggers.Length; t++)
        {
            if (triggers[t].IsAlwaysActive)
            {
                _alwaysActive[t >> 6] |= 1UL << (t & 63);
            }
            else
            {
                timed.Add(t);
            }
        }

        _timed = [.. timed];
        _equalities = EqualityIndex.Build(_steps);
        _thresholds = ThresholdIndex.Build(_steps, _needs, StepWords, TriggerWords);
        _answeredBy = new int[_steps.Length];
        for (var k = 0; k < _equalities.Length; k++)
        {
            foreach (var step in _equalities[k].Steps)
            {
                _answeredBy[step] = k + 1;
            }
        }

        for (var k = 0; k < _thresholds.Length; k++)
        {
            foreach (var step in _thresholds[k].Steps)
            {
                _answeredBy[step] = -(k + 1);
            }
        }
        return;

        // Equal leaves share the catalog's memo slot; equal groups have the same steps as children.
        int Step(ReadOnlySpan<ConditionNode> nodes, int i)
        {
            var node = nodes[i];
            if (node.Kind != NodeKind.AnyGroup)
            {
                if (!leafSteps.TryGetValue(node.Slot, out var leaf))
                {
                    leafSteps[node.Slot] = leaf = steps.Count;
                    steps.Add(node);
                }

                return leaf;
            }

            var members = new int[node.ChildCount];
            for (var c = 0; c < members.Length; c++)
            {
                members[c] = Step(nodes, node.ChildStart + c);
            }

            var key = string.Join(',', members);
            if (!groupSteps.TryGetValue(key, out var group))
            {
                groupSteps[key] = group = steps.Count;
                steps.Add(node with { ChildStart = children.Count, ChildCount = members.Length });
                children.AddRange(members);
            }

            return group;
        }
    }

    /// <summary>The catalog's shared conditions: a memo must be begun for the same catalog.</summary>
    internal SharedConditions Shared { get; }

    /// <summary>The woken triggers, in firing order: <see cref="NextMatch"/> returns indexes into these.</summary>
    public ReadOnlySpan<CompiledTrigger> Triggers => _triggers;

    internal int TriggerWords { get; }

    internal int StepWords { get; }

    /// <summary>
    /// The index of the first trigger from <paramref name="start"/> on that is active at
    /// <see cref="IFactSource.Now"/> and whose conditions all hold; -1 when none is. Answers found are kept
    /// in <paramref name="memo"/> (begun for this decision's catalog) until its next
    /// <see cref="ConditionMemo.Begin"/>, so asking again from the next index after a trigger was passed
    /// over costs only the triggers not yet judged. Allocates nothing, given a source that allocates nothing.
    /// </summary>
    public int NextMatch<TFacts>(int start, TFacts facts, ConditionMemo memo)
        where TFacts : IFactSource
    {
        ArgumentNullException.ThrowIfNull(memo);
        if (facts is null)
        {
            throw new ArgumentNullException(nameof(facts));
        }

        if (start >= _triggers.Length)
        {
            return -1;
        }

        var answers = memo.Decide(this);
        if (answers.Fresh)
        {
            Activate(answers, facts.Now);
        }

        var alive = answers.Alive;
        for (var w = Math.Max(start, 0) >> 6; w < alive.Length; w++)
        {
            var from = w == start >> 6 ? start & 63 : 0;
            for (var bits = alive[w] & (ulong.MaxValue << from); bits != 0; bits = alive[w] & (ulong.MaxValue << from))
            {
                var t = (w << 6) + BitOperations.TrailingZeroCount(bits);
                if (Holds(t, facts, answers))
                {
                    return t;
                }

                // t died with its failed step (and took along every trigger needing that step); once the
                // word is exhausted the shift would wrap, so stop at its last bit.
                if ((t & 63) == 63)
                {
                    break;
                }

                from = (t & 63) + 1;
            }
        }

        return -1;
    }

    private void Activate(in DecisionAnswers answers, DateTimeOffset now)
    {
        _alwaysActive.CopyTo(answers.Alive);
        foreach (var t in _timed)
        {
            if (_triggers[t].IsActiveAt(now))
            {
                answers.Alive[t >> 6] |= 1UL << (t & 63);
            }
        }
    }

    /// <summary>Whether every root step of trigger <paramref name="t"/> holds; a step that fails kills its triggers.</summary>
    private bool Holds<TFacts>(int t, TFacts facts, in DecisionAnswers answers)
        where TFacts : IFactSource
    {
        var required = _required;
        for (var r = _runStart[t]; r < _runStart[t + 1]; r++)
        {
            // A known step that failed killed t, but perhaps only just now, while an earlier step of t
            // (an index or a group) answered it along with others: its answer is read, not assumed.
            var step = required[r];
            if (answers.IsKnown(step) ? !answers.Held(step) : !Evaluate(step, facts, answers))
            {
                return false;
            }
        }

        return true;
    }

    private bool Evaluate<TFacts>(int step, TFacts facts, in DecisionAnswers answers)
        where TFacts : IFactSource
    {
        var answeredBy = _answeredBy[step];
        if (answeredBy != 0)
        {
            if (answeredBy > 0)
            {
                _equalities[answeredBy - 1].Answer(facts, this, _steps, answers);
            }
            else
            {
                _thresholds[-answeredBy - 1].Answer(facts, _steps, answers);
            }

            return answers.Held(step);
        }

        ref readonly var node = ref _steps[step];
        bool holds;
        if (node.Kind == NodeKind.AnyGroup)
        {
            holds = false;
            for (var c = node.ChildStart; c < node.ChildStart + node.ChildCount; c++)
            {
                var child = _groupChildren[c];
                if (answers.IsKnown(child) ? answers.Held(child) : Evaluate(child, facts, answers))
                {
                    holds = true;
                    break;
                }
            }
        }
        else
        {
            holds = ConditionEvaluator.Holds(in node, facts);
        }

        Record(step, holds, answers);
        return holds;
    }

    /// <summary>Stores a step's answer; a failed step kills every trigger that needs it at its root.</summary>
    internal void Record(int step, bool holds, in DecisionAnswers answers)
    {
        answers.Known[step >> 6] |= 1UL << (step & 63);
        if (holds)
        {
            answers.Holds[step >> 6] |= 1UL << (step & 63);
            return;
        }

        var needs = _needs.AsSpan(step * TriggerWords, TriggerWords);
        for (var w = 0; w < needs.Length; w++)
        {
            answers.Alive[w] &= ~needs[w];
        }
    }

    private static int Words(int bits) => (bits + 63) >> 6;
}
