namespace Personalize.Triggers;

/// <summary>
/// Runs compiled nodes against a fact source. Generic over the source so a struct source is never boxed;
/// an absent fact fails every comparison except ne and notIn (CONTRACT §4).
/// </summary>
internal static class ConditionEvaluator
{
    public static bool All<TFacts>(ConditionNode[] nodes, int start, int count, TFacts facts, ConditionMemo? memo)
        where TFacts : IFactSource
    {
        for (var i = start; i < start + count; i++)
        {
            if (!Check(nodes, in nodes[i], facts, memo))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AnyOf<TFacts>(ConditionNode[] nodes, int start, int count, TFacts facts, ConditionMemo? memo)
        where TFacts : IFactSource
    {
        for (var i = start; i < start + count; i++)
        {
            if (Check(nodes, in nodes[i], facts, memo))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A group is walked (its members are memoised one by one); a leaf is answered from the memo when it can be.</summary>
    private static bool Check<TFacts>(ConditionNode[] nodes, in ConditionNode node, TFacts facts, ConditionMemo? memo)
        where TFacts : IFactSource
    {
        if (node.Kind == NodeKind.AnyGroup)
        {
            return AnyOf(nodes, node.ChildStart, node.ChildCount, facts, memo);
        }

        if (memo is null)
        {
            return Holds(in node, facts);
        }

        if (!memo.TryGet(node.Slot, out var holds))
        {
            holds = Holds(in node, facts);
            memo.Set(node.Slot, holds);
        }

        return holds;
    }

    internal static bool Holds<TFacts>(in ConditionNode node, TFacts facts)
        where TFacts : IFactSource
    {
        switch (node.Kind)
        {
            case NodeKind.NumberCompare:
            {
                var actual = facts.GetNumber(node.Fact);
                return actual is { } value ? Compare(value, node.Op, node.Number) : node.Op == CompareOp.Ne;
            }

            case NodeKind.NumberIn:
            {
                var actual = facts.GetNumber(node.Fact);
                return actual is { } value ? Contains(node.Numbers!, value) == (node.Op == CompareOp.In) : node.Op == CompareOp.NotIn;
            }

            case NodeKind.TextCompare:
            {
                var actual = facts.GetText(node.Fact);
                return actual is null ? node.Op == CompareOp.Ne : string.Equals(actual, node.Text, StringComparison.Ordinal) == (node.Op == CompareOp.Eq);
            }

            case NodeKind.TextIn:
            {
                var actual = facts.GetText(node.Fact);
                return actual is null ? node.Op == CompareOp.NotIn : node.TextSet!.Contains(actual) == (node.Op == CompareOp.In);
            }

            case NodeKind.Exists:
            {
                var present = TriggerVocabulary.KindOf(node.Fact) == FactKind.Text
                    ? facts.GetText(node.Fact) is not null
                    : facts.GetNumber(node.Fact).HasValue;
                return present == node.Expected;
            }

            case NodeKind.Flag:
                return (facts.GetFlag(node.Fact) == node.Expected) == (node.Op == CompareOp.Eq);

            case NodeKind.BasketItem:
                return InBasket(facts, node.Fact, node.Text!) == (node.Op == CompareOp.Eq);

            case NodeKind.BasketAnyOf:
            {
                var any = false;
                foreach (var item in node.Texts!)
                {
                    if (InBasket(facts, node.Fact, item))
                    {
                        any = true;
                        break;
                    }
                }

                return any == (node.Op == CompareOp.In);
            }

            case NodeKind.Count:
                return Compare(facts.CountEvents(node.Count!), node.Op, node.Number);

            default:
                return false;
        }
    }

    private static bool InBasket<TFacts>(TFacts facts, Fact fact, string id)
        where TFacts : IFactSource =>
        fact == Fact.BasketHasProduct ? facts.BasketHasProduct(id) : facts.BasketHasCategory(id);

    private static bool Compare(double actual, CompareOp op, double expected) => op switch
    {
        CompareOp.Eq => actual == expected,
        CompareOp.Ne => actual != expected,
        CompareOp.Gt => actual > expected,
        CompareOp.Gte => actual >= expected,
        CompareOp.Lt => actual < expected,
        CompareOp.Lte => actual <= expected,
        _ => false,
    };

    private static bool Contains(double[] values, double value)
    {
        foreach (var candidate in values)
        {
            if (candidate == value)
            {
                return true;
            }
        }

        return false;
    }
}
