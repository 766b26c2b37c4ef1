using System.Collections.Frozen;

namespace Personalize.Triggers;

/// <summary>
/// The text eq/ne steps of one <see cref="TriggerDecision"/> that read the same fact (<c>event.categoryId
/// eq "shoes"</c>, <c>eq "bags"</c>, …), answered together: the fact is read once and a hash look-up of
/// its value names the steps it equals, so every other step is known to fail without comparing it.
/// </summary>
internal sealed class EqualityIndex
{
    private readonly Fact _fact;
    private readonly FrozenDictionary<string, int[]> _byText;

    private EqualityIndex(Fact fact, int[] steps, ConditionNode[] nodes)
    {
        _fact = fact;
        Steps = steps;
        _byText = steps
            .GroupBy(s => nodes[s].Text!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    public int[] Steps { get; }

    /// <summary>One index per fact read by two or more text eq/ne steps.</summary>
    public static EqualityIndex[] Build(ConditionNode[] steps) =>
    [
        .. Enumerable.Range(0, steps.Length)
            .Where(s => steps[s].Kind == NodeKind.TextCompare && steps[s].Op is CompareOp.Eq or CompareOp.Ne)
            .GroupBy(s => steps[s].Fact)
            .Where(g => g.Count() > 1)
            .Select(g => new EqualityIndex(g.Key, [.. g], steps)),
    ];

    /// <summary>Records the answer of every step of the index (as <see cref="ConditionEvaluator"/> would give it).</summary>
    public void Answer<TFacts>(TFacts facts, TriggerDecision decision, ConditionNode[] nodes, in DecisionAnswers answers)
        where TFacts : IFactSource
    {
        // The steps equal to the actual value first: a step recorded false kills its triggers for good.
        var actual = facts.GetText(_fact);
        if (actual is not null && _byText.TryGetValue(actual, out var equal))
        {
            foreach (var step in equal)
            {
                decision.Record(step, nodes[step].Op == CompareOp.Eq, answers);
            }
        }

        // An absent fact equals nothing, so eq fails and ne holds, as for a value no step names.
        foreach (var step in Steps)
        {
            if (!answers.IsKnown(step))
            {
                decision.Record(step, nodes[step].Op == CompareOp.Ne, answers);
            }
        }
    }
}
