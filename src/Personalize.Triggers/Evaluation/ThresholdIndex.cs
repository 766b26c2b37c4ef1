namespace Personalize.Triggers;

/// <summary>
/// The steps of one <see cref="TriggerDecision"/> that compare the same number (a fact, or the answer to
/// one count question) with gt/gte (or lt/lte) and different thresholds: <c>basket.total gte 400</c>,
/// <c>gte 450</c>, …. Sorted so that the steps holding for a value are always the first <c>cut</c> of
/// them, they are answered together: one read of the number, a scan to the cut, and masks worked out at
/// compile time say which steps hold and which triggers die.
/// </summary>
internal sealed class ThresholdIndex
{
    private const int MaxSteps = 64; // masks grow with the square of the group; bigger groups are split

    private readonly ConditionNode _source;
    private readonly double[] _thresholds;
    private readonly int _stepWords;
    private readonly int _triggerWords;
    private readonly ulong[] _holds; // (cut) * _stepWords: the first cut steps
    private readonly ulong[] _kills; // (cut) * _triggerWords: triggers needing any step from cut on

    private ThresholdIndex(int[] steps, ConditionNode[] nodes, ulong[] needs, int stepWords, int triggerWords)
    {
        _source = nodes[steps[0]];
        _thresholds = [.. steps.Select(s => nodes[s].Number)];
        _stepWords = stepWords;
        _triggerWords = triggerWords;
        Steps = steps;
        _holds = new ulong[(steps.Length + 1) * stepWords];
        _kills = new ulong[(steps.Length + 1) * triggerWords];
        for (var cut = 0; cut <= steps.Length; cut++)
        {
            for (var j = 0; j < steps.Length; j++)
            {
                if (j < cut)
                {
                    _holds[cut * stepWords + (steps[j] >> 6)] |= 1UL << (steps[j] & 63);
                    continue;
                }

                for (var w = 0; w < triggerWords; w++)
                {
                    _kills[cut * triggerWords + w] |= needs[steps[j] * triggerWords + w];
                }
            }
        }

        Known = new ulong[stepWords];
        foreach (var step in steps)
        {
            Known[step >> 6] |= 1UL << (step & 63);
        }
    }

    public int[] Steps { get; }

    /// <summary>The bits of all its steps.</summary>
    private ulong[] Known { get; }

    /// <summary>One index per (number, direction) asked with two or more thresholds.</summary>
    public static ThresholdIndex[] Build(ConditionNode[] steps, ulong[] needs, int stepWords, int triggerWords) =>
    [
        .. Enumerable.Range(0, steps.Length)
            .Where(s => steps[s].Kind is NodeKind.NumberCompare or NodeKind.Count && steps[s].Op is CompareOp.Gt or CompareOp.Gte or CompareOp.Lt or CompareOp.Lte)
            .GroupBy(s => (steps[s].Kind, steps[s].Fact, Count: steps[s].Count?.Slot ?? -1, Rising: steps[s].Op is CompareOp.Gt or CompareOp.Gte))
            .Where(g => g.Count() > 1)
            // Rising (gt/gte): a value passes the lowest thresholds; falling (lt/lte): the highest.
            .SelectMany(g => (g.Key.Rising
                    ? g.OrderBy(s => steps[s].Number).ThenBy(s => steps[s].Op == CompareOp.Gte ? 0 : 1)
                    : g.OrderByDescending(s => steps[s].Number).ThenBy(s => steps[s].Op == CompareOp.Lte ? 0 : 1))
                .Chunk(MaxSteps))
            .Where(chunk => chunk.Length > 1)
            .Select(chunk => new ThresholdIndex(chunk, steps, needs, stepWords, triggerWords)),
    ];

    /// <summary>Records the answer of every step of the index (as <see cref="ConditionEvaluator"/> would give it).</summary>
    public void Answer<TFacts>(TFacts facts, ConditionNode[] nodes, in DecisionAnswers answers)
        where TFacts : IFactSource
    {
        // An absent number fails every comparison of these ops: no step holds.
        double? read = _source.Kind == NodeKind.Count ? facts.CountEvents(_source.Count!) : facts.GetNumber(_source.Fact);
        var cut = 0;
        if (read is { } value)
        {
            while (cut < _thresholds.Length && Passes(value, nodes[Steps[cut]].Op, _thresholds[cut]))
            {
                cut++;
            }
        }

        var known = Known;
        var holds = _holds.AsSpan(cut * _stepWords, _stepWords);
        for (var w = 0; w < known.Length; w++)
        {
            answers.Known[w] |= known[w];
            answers.Holds[w] |= holds[w];
        }

        var kills = _kills.AsSpan(cut * _triggerWords, _triggerWords);
        for (var w = 0; w < kills.Length; w++)
        {
            answers.Alive[w] &= ~kills[w];
        }
    }

    private static bool Passes(double value, CompareOp op, double threshold) => op switch
    {
        CompareOp.Gt => value > threshold,
        CompareOp.Gte => value >= threshold,
        CompareOp.Lt => value < threshold,
        _ => value <= threshold,
    };
}
