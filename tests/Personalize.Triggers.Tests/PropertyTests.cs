using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Personalize.Triggers;

namespace Personalize.Triggers.Tests;

public class PropertyTests
{
    [Property(MaxTest = 300)]
    public Property Structurally_mutated_json_never_throws() =>
        Prop.ForAll(Arb.From(TriggerGenerators.StructurallyMutated), ParsesWithoutThrowing);

    [Property(MaxTest = 300)]
    public Property Textually_mutated_json_never_throws() =>
        Prop.ForAll(Arb.From(TriggerGenerators.TextuallyMutated), ParsesWithoutThrowing);

    [Property(MaxTest = 100)]
    public Property Random_json_never_throws() =>
        Prop.ForAll(Arb.From(TriggerGenerators.AnyJson(4)), node => ParsesWithoutThrowing(node?.ToJsonString() ?? "null"));

    [Property(MaxTest = 200)]
    public Property Valid_triggers_round_trip_through_json() =>
        Prop.ForAll(Arb.From(TriggerGenerators.ValidTrigger), trigger =>
        {
            var json = trigger.ToJson();
            var ok = TriggerParser.TryParse(json, null, out var parsed, out var errors);
            return (ok && trigger.Equals(parsed)).Label($"{json} => {TestTriggers.Describe(errors)}");
        });

    [Property(MaxTest = 200)]
    public Property Valid_triggers_compile() =>
        Prop.ForAll(Arb.From(TriggerGenerators.ValidTrigger), trigger =>
        {
            var compiled = CompiledTrigger.Compile(trigger);
            compiled.Evaluate(new FakeFacts());
            return compiled.Id == trigger.Id;
        });

    [Property(MaxTest = 500)]
    public Property Evaluator_agrees_with_a_naive_reference() =>
        Prop.ForAll(Arb.From(NumericCase), c =>
        {
            var condition = new Condition
            {
                Fact = c.Fact,
                Op = c.Op,
                Value = c.Op is "in" or "notIn" ? JsonSerializer.SerializeToElement(c.Set) : JsonSerializer.SerializeToElement(c.Operand),
            };
            var trigger = TestTriggers.Parse(TestTriggers.Json()) with { Conditions = [condition] };
            var facts = new FakeFacts().Set(TriggerVocabulary.Facts[c.Fact], c.Actual);
            var expected = Reference(c.Op, c.Actual, c.Operand, c.Set);
            return (CompiledTrigger.Compile(trigger).Evaluate(facts) == expected).Label($"{c}");
        });

    private static bool ParsesWithoutThrowing(string json)
    {
        TriggerParser.TryParse(json, null, out _, out _);
        TriggerParser.TryParse(json, "route-id", out _, out _);
        return true;
    }

    public sealed record NumericCaseData(string Fact, string Op, double? Actual, double Operand, double[] Set)
    {
        public override string ToString() => $"{Fact} {Op} {Operand} [{string.Join(",", Set)}] actual={Actual?.ToString() ?? "absent"}";
    }

    /// <summary>Operands drawn near the actual value so equality and boundaries are hit often.</summary>
    private static Gen<NumericCaseData> NumericCase =>
        from fact in Gen.Elements(TriggerGenerators.NumberFacts)
        from op in Gen.Elements("eq", "ne", "gt", "gte", "lt", "lte", "in", "notIn")
        from actual in Gen.Frequency((1, Gen.Constant<double?>(null)), (6, Gen.Choose(-8, 8).Select(i => (double?)(i / 2.0))))
        from operand in Gen.Choose(-8, 8).Select(i => i / 2.0)
        from set in Gen.NonEmptyListOf(Gen.Choose(-8, 8).Select(i => i / 2.0))
        select new NumericCaseData(fact, op, actual, operand, [.. set]);

    private static bool Reference(string op, double? actual, double operand, double[] set)
    {
        if (actual is null)
        {
            return op is "ne" or "notIn";
        }

        var a = actual.Value;
        return op switch
        {
            "eq" => a == operand,
            "ne" => a != operand,
            "gt" => a > operand,
            "gte" => a >= operand,
            "lt" => a < operand,
            "lte" => a <= operand,
            "in" => set.Contains(a),
            "notIn" => !set.Contains(a),
            _ => throw new ArgumentOutOfRangeException(nameof(op)),
        };
    }
}
