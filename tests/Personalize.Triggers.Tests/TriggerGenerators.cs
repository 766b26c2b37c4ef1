using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Personalize.Triggers;

namespace Personalize.Triggers.Tests;

/// <summary>FsCheck generators for valid triggers and for JSON that is almost, or not at all, a trigger.</summary>
internal static class TriggerGenerators
{
    private const string IdChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
    private const string TextChars = "abcxyzABC019 -_.éü€✓";

    public static readonly string[] NumberFacts =
    [
        "event.price", "event.orderTotal", "event.score", "basket.total", "basket.count", "shopper.orders",
        "shopper.lifetimeValue", "shopper.referrals", "shopper.npsScore", "shopper.daysSinceFirstSeen",
    ];

    public static Gen<string> Word(string alphabet, int min, int max) =>
        from length in Gen.Choose(min, max)
        from chars in Gen.ArrayOf(Gen.Elements(alphabet.ToCharArray()), length)
        select new string(chars);

    private static Gen<string> Text(int max) => Word(TextChars, 1, max).Where(s => !string.IsNullOrWhiteSpace(s));

    /// <summary>Numbers that JSON carries exactly: quarters between -1000 and 1000.</summary>
    public static Gen<double> SmallNumber => Gen.Choose(-4000, 4000).Select(i => i / 4.0);

    private static JsonElement Element<T>(T value) => JsonSerializer.SerializeToElement(value);

    private static Gen<Condition> NumberLeaf =>
        from fact in Gen.Elements(NumberFacts)
        from op in Gen.Elements("eq", "ne", "gt", "gte", "lt", "lte", "in", "notIn", "exists")
        from number in SmallNumber
        from set in Gen.NonEmptyListOf(SmallNumber)
        from exists in Gen.Elements<bool?>(null, true, false)
        select new Condition
        {
            Fact = fact,
            Op = op,
            Value = op switch
            {
                "in" or "notIn" => Element(set.Take(5).ToArray()),
                "exists" => exists is null ? null : Element(exists.Value),
                _ => Element(number),
            },
        };

    private static Gen<Condition> TextLeaf =>
        from pick in Gen.Elements(
            ("event.type", TriggerVocabulary.EventTypes.ToArray()),
            ("event.channel", TriggerVocabulary.Channels.ToArray()),
            ("shopper.npsClass", TriggerVocabulary.NpsClasses.ToArray()),
            ("event.productId", new[] { "p1", "p-2", "SKU 3", "é" }),
            ("basket.hasCategory", new[] { "shoes", "hats" }))
        from op in Gen.Elements(pick.Item1.StartsWith("basket", StringComparison.Ordinal) ? ["eq", "ne", "in", "notIn"] : new[] { "eq", "ne", "in", "notIn", "exists" })
        from one in Gen.Elements(pick.Item2)
        from many in Gen.NonEmptyListOf(Gen.Elements(pick.Item2))
        select new Condition
        {
            Fact = pick.Item1,
            Op = op,
            Value = op switch
            {
                "in" or "notIn" => Element(many.Take(4).ToArray()),
                "exists" => null,
                _ => Element(one),
            },
        };

    private static Gen<Condition> FlagLeaf =>
        from fact in Gen.Elements("shopper.referred", "shopper.identified")
        from op in Gen.Elements("eq", "ne")
        from value in Gen.Elements(true, false)
        select new Condition { Fact = fact, Op = op, Value = Element(value) };

    private static Gen<Condition> CountLeaf =>
        from type in Gen.Elements<string?>(null, "product_view", "add_to_cart")
        from category in Gen.Elements<string?>(null, "shoes")
        from channel in Gen.Elements<string?>(null, "app")
        from within in Gen.Choose(1, TriggerVocabulary.MaxWindowSeconds)
        from op in Gen.Elements("eq", "ne", "gt", "gte", "lt", "lte")
        from value in Gen.Choose(0, 10)
        select new Condition
        {
            Fact = "count",
            Op = op,
            Value = Element(value),
            Where = new ClickWhere { Type = type, CategoryId = category, Channel = channel },
            WithinSeconds = within,
        };

    private static Gen<Condition> Leaf => Gen.OneOf(NumberLeaf, TextLeaf, FlagLeaf, CountLeaf);

    private static Gen<Condition> ConditionAt(int depth) => depth >= TriggerVocabulary.MaxDepth
        ? Leaf
        : Gen.Frequency(
            (4, Leaf),
            (1, Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(ConditionAt(depth + 1), n)).Select(c => new Condition { Any = c })));

    private static Gen<TriggerAction> Action =>
        from type in Gen.Elements(TriggerVocabulary.ActionTypes.ToArray())
        from title in Text(40)
        from message in Gen.OneOf(Gen.Constant(""), Text(60))
        from ttl in Gen.Choose(1, TriggerVocabulary.MaxTtlSeconds)
        from kind in Gen.Elements(TriggerVocabulary.DiscountKinds.ToArray())
        from cents in Gen.Choose(1, 10_000)
        from currency in Gen.Elements<string?>(null, "EUR", "usd")
        from usePrefix in Gen.Elements(true, false)
        from code in Word("ABCDEFZ0123456789-", 1, 32)
        from strategy in Gen.Elements(TriggerVocabulary.Strategies.ToArray())
        from count in Gen.Choose(1, 20)
        from question in Text(100)
        select type switch
        {
            "offer" => new TriggerAction
            {
                Type = type, Title = title, Message = message, TtlSeconds = ttl,
                Discount = kind switch
                {
                    "percent" => new DiscountSpec { Kind = kind, Value = cents / 100m },
                    "amount" => new DiscountSpec { Kind = kind, Value = cents / 100m, Currency = currency },
                    _ => new DiscountSpec { Kind = kind },
                },
                Code = usePrefix ? null : code,
                CodePrefix = usePrefix ? code : null,
            },
            "recommendations" => new TriggerAction { Type = type, Title = title, Message = message, TtlSeconds = ttl, Strategy = strategy, Count = count },
            "survey" => new TriggerAction { Type = type, Title = title, Message = message, TtlSeconds = ttl, Survey = "nps", Question = question },
            _ => new TriggerAction { Type = type, Title = title, Message = message, TtlSeconds = ttl },
        };

    private static Gen<TriggerLimits?> Limits =>
        from present in Gen.Elements(true, false)
        from perShopper in Gen.Elements<int?>(null, 1, 5)
        from cooldown in Gen.Elements<int?>(null, 0, 3600)
        from perDay in Gen.Elements<int?>(null, 1, 1000)
        select present ? new TriggerLimits { MaxPerShopper = perShopper, CooldownSeconds = cooldown, MaxPerDay = perDay } : null;

    private static Gen<(DateTimeOffset?, DateTimeOffset?)> Window =>
        from offset in Gen.Choose(0, 1_000_000)
        from length in Gen.Choose(1, 1_000_000)
        from shape in Gen.Choose(0, 3)
        let start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(offset)
        select shape switch
        {
            0 => ((DateTimeOffset?)null, (DateTimeOffset?)null),
            1 => (start, null),
            2 => (null, start),
            _ => (start, start.AddSeconds(length)),
        };

    public static Gen<TriggerDefinition> ValidTrigger =>
        from id in Word(IdChars, 1, 64)
        from name in Text(200)
        from enabled in Gen.Elements(true, false)
        from priority in Gen.Choose(-1000, 1000)
        from idle in Gen.Elements(true, false)
        from eventType in Gen.Elements(TriggerVocabulary.EventTypes.ToArray())
        from idleSeconds in Gen.Choose(1, TriggerVocabulary.MaxWindowSeconds)
        from conditions in Gen.Choose(0, 6).SelectMany(n => Gen.ArrayOf(ConditionAt(1), n))
        from action in Action
        from limits in Limits
        from holdout in Gen.Choose(0, 10_000)
        from window in Window
        select new TriggerDefinition
        {
            Id = id, Name = name, Enabled = enabled, Priority = priority,
            On = idle ? new TriggerOn { IdleSeconds = idleSeconds } : new TriggerOn { Event = eventType },
            Conditions = conditions, Action = action, Limits = limits, HoldoutPercent = holdout / 100.0,
            ActiveFrom = window.Item1, ActiveUntil = window.Item2,
        };

    private static readonly string[] Keys =
    [
        "id", "name", "on", "event", "idleSeconds", "conditions", "fact", "op", "value", "any", "where", "withinSeconds",
        "action", "type", "discount", "kind", "code", "codePrefix", "limits", "holdoutPercent", "activeFrom", "x",
    ];

    private static readonly string[] RawTexts =
    [
        "", " ", "eq", "in", "count", "basket.total", "offer", "percent", "nps", "add_to_cart", "2025-01-01T00:00:00Z",
        "\ud800", "not-a-date", new string('a', 300),
    ];

    /// <summary>Any JSON value, biased toward the language's own words so mutations reach deep validation paths.</summary>
    public static Gen<JsonNode?> AnyJson(int depth) => depth <= 0
        ? Scalar
        : Gen.Frequency(
            (3, Scalar),
            (1, Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(AnyJson(depth - 1), n)).Select(items => (JsonNode?)new JsonArray(items))),
            (1, Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(Gen.Zip(Gen.Elements(Keys), AnyJson(depth - 1)), n))
                .Select(pairs => (JsonNode?)new JsonObject(pairs.DistinctBy(p => p.Item1).Select(p => KeyValuePair.Create(p.Item1, p.Item2))))));

    private static Gen<JsonNode?> Scalar => Gen.OneOf(
        Gen.Constant<JsonNode?>(null),
        Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Elements(0.0, -1, 1, 0.5, 100, 101, 1e300, -1e-300, int.MaxValue + 1.0, 2592001).Select(d => (JsonNode?)JsonValue.Create(d)),
        Gen.Elements(RawTexts).Select(s => (JsonNode?)JsonValue.Create(s)));

    /// <summary>A valid trigger with one node somewhere inside replaced by arbitrary JSON.</summary>
    public static Gen<string> StructurallyMutated =>
        from trigger in ValidTrigger
        from pick in Gen.Choose(0, 10_000)
        from replacement in AnyJson(2)
        select Replace(trigger.ToJson(), pick, replacement);

    /// <summary>A valid trigger's text with a slice cut out or junk pasted in: mostly invalid JSON.</summary>
    public static Gen<string> TextuallyMutated =>
        from trigger in ValidTrigger
        let json = trigger.ToJson()
        from at in Gen.Choose(0, json.Length)
        from cut in Gen.Choose(0, 20)
        from junk in Word("{}[]\",:0123456789.e-tfnul\\ aZ", 0, 8)
        select json[..at] + junk + json[Math.Min(json.Length, at + cut)..];

    private static string Replace(string json, int pick, JsonNode? replacement)
    {
        var root = JsonNode.Parse(json)!;
        var slots = new List<(JsonNode Parent, object Key)>();
        Collect(root, slots);
        if (slots.Count == 0)
        {
            return json;
        }

        var (parent, key) = slots[pick % slots.Count];
        var clone = replacement?.DeepClone();
        if (parent is JsonObject obj)
        {
            obj[(string)key] = clone;
        }
        else
        {
            ((JsonArray)parent)[(int)key] = clone;
        }

        return root.ToJsonString();
    }

    private static void Collect(JsonNode node, List<(JsonNode, object)> slots)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    slots.Add((obj, name));
                    if (child is not null)
                    {
                        Collect(child, slots);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    slots.Add((array, i));
                    if (array[i] is { } child)
                    {
                        Collect(child, slots);
                    }
                }

                break;
        }
    }
}
