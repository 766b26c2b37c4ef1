using System.Collections.Frozen;
using System.Text.Json;

namespace Personalize.Triggers;

/// <summary>
/// Turns parsed conditions into a flat node array. Definitions are expected to come from
/// <see cref="TriggerParser"/>; a hand-built invalid one is refused with an <see cref="ArgumentException"/>.
/// </summary>
/// <remarks>
/// Siblings are laid out cheapest first (event and shopper facts, then basket look-ups, then click
/// counts), so a trigger that fails usually fails before counting. Conditions have no side effects and
/// all/any do not depend on order, so the answer is the same; only the work saved differs.
/// </remarks>
internal static class ConditionCompiler
{
    public static ConditionNode[] Compile(IReadOnlyList<Condition> conditions, SharedConditions shared, out int rootCount)
    {
        var nodes = new List<ConditionNode>();
        rootCount = conditions.Count;
        AddRun(conditions, nodes, shared);
        return [.. nodes];
    }

    /// <summary>Reserves a contiguous run for the siblings first, so a group's children are adjacent.</summary>
    private static int AddRun(IReadOnlyList<Condition> conditions, List<ConditionNode> nodes, SharedConditions shared)
    {
        var start = nodes.Count;
        var ordered = conditions.OrderBy(Cost).ToArray();
        for (var i = 0; i < ordered.Length; i++)
        {
            nodes.Add(default);
        }

        for (var i = 0; i < ordered.Length; i++)
        {
            var condition = ordered[i];
            if (condition.Any is { Count: > 0 } any)
            {
                var childStart = AddRun(any, nodes, shared);
                nodes[start + i] = new ConditionNode { Kind = NodeKind.AnyGroup, ChildStart = childStart, ChildCount = any.Count };
            }
            else
            {
                nodes[start + i] = Leaf(condition, shared) with { Slot = shared.LeafSlot(condition) };
            }
        }

        return start;
    }

    /// <summary>Rough relative cost: a fact read, a scan of the basket, a scan of the click stream; a group costs its dearest member.</summary>
    private static int Cost(Condition condition)
    {
        if (condition.Any is { Count: > 0 } any)
        {
            return any.Max(Cost);
        }

        return condition.Fact switch
        {
            "count" => 2,
            "basket.hasProduct" or "basket.hasCategory" => 1,
            _ => 0,
        };
    }

    private static ConditionNode Leaf(Condition condition, SharedConditions shared)
    {
        if (condition.Fact is null || !TriggerVocabulary.Facts.TryGetValue(condition.Fact, out var fact))
        {
            throw Invalid(condition, "unknown fact");
        }

        var op = condition.Op switch
        {
            "eq" => CompareOp.Eq,
            "ne" => CompareOp.Ne,
            "gt" => CompareOp.Gt,
            "gte" => CompareOp.Gte,
            "lt" => CompareOp.Lt,
            "lte" => CompareOp.Lte,
            "in" => CompareOp.In,
            "notIn" => CompareOp.NotIn,
            "exists" => CompareOp.Exists,
            _ => throw Invalid(condition, "unknown op"),
        };
        var value = condition.Value ?? default;
        var kind = TriggerVocabulary.KindOf(fact);
        var isSet = op is CompareOp.In or CompareOp.NotIn;

        if (op == CompareOp.Exists)
        {
            var expected = value.ValueKind != JsonValueKind.False;
            return new ConditionNode { Kind = NodeKind.Exists, Fact = fact, Op = op, Expected = expected };
        }

        return kind switch
        {
            FactKind.Number when isSet => new ConditionNode
            {
                Kind = NodeKind.NumberIn, Fact = fact, Op = op, Numbers = [.. Items(value, condition).Select(e => Number(e, condition))],
            },
            FactKind.Number => new ConditionNode { Kind = NodeKind.NumberCompare, Fact = fact, Op = op, Number = Number(value, condition) },
            FactKind.Text when isSet => new ConditionNode
            {
                Kind = NodeKind.TextIn, Fact = fact, Op = op,
                TextSet = Items(value, condition).Select(e => Text(e, condition)).ToFrozenSet(StringComparer.Ordinal),
            },
            FactKind.Text => new ConditionNode { Kind = NodeKind.TextCompare, Fact = fact, Op = op, Text = Text(value, condition) },
            FactKind.Flag => new ConditionNode { Kind = NodeKind.Flag, Fact = fact, Op = op, Expected = Flag(value, condition) },
            FactKind.Membership when isSet => new ConditionNode
            {
                Kind = NodeKind.BasketAnyOf, Fact = fact, Op = op, Texts = [.. Items(value, condition).Select(e => Text(e, condition))],
            },
            FactKind.Membership => new ConditionNode { Kind = NodeKind.BasketItem, Fact = fact, Op = op, Text = Text(value, condition) },
            _ => new ConditionNode
            {
                Kind = NodeKind.Count,
                Fact = fact,
                Op = op,
                Number = Number(value, condition),
                Count = shared.Count(
                    condition.Where ?? throw Invalid(condition, "count needs where"),
                    TimeSpan.FromSeconds(condition.WithinSeconds ?? throw Invalid(condition, "count needs withinSeconds"))),
            },
        };
    }

    private static IEnumerable<JsonElement> Items(JsonElement value, Condition condition) =>
        value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : throw Invalid(condition, "in/notIn needs an array");

    private static double Number(JsonElement value, Condition condition) =>
        ValidationErrors.TryGetFiniteNumber(value, out var number) ? number : throw Invalid(condition, "value must be a number");

    private static string Text(JsonElement value, Condition condition) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid(condition, "value must be a string");

    private static bool Flag(JsonElement value, Condition condition) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Invalid(condition, "value must be true or false"),
    };

    private static ArgumentException Invalid(Condition condition, string problem) =>
        new($"Cannot compile condition {condition.Fact} {condition.Op}: {problem}. Build definitions with TriggerParser.", nameof(condition));
}
