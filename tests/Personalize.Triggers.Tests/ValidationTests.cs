using System.Text.Json;
using Personalize.Triggers;

namespace Personalize.Triggers.Tests;

public class ValidationTests
{
    private const string ContractExample = """
        { "id": "cart-rescue", "name": "Cart rescue", "enabled": true, "priority": 100,
          "on": { "event": "add_to_cart" },
          "conditions": [
            { "fact": "basket.total", "op": "gte", "value": 50 },
            { "fact": "count", "where": { "type": "product_view", "categoryId": "shoes" }, "withinSeconds": 600, "op": "gte", "value": 3 },
            { "fact": "shopper.npsClass", "op": "eq", "value": "promoter" } ],
          "action": { "type": "offer", "title": "10% off", "message": "Finish your order", "discount": { "kind": "percent", "value": 10 },
                      "code": "SAVE10", "ttlSeconds": 1800 },
          "limits": { "maxPerShopper": 1, "cooldownSeconds": 3600, "maxPerDay": 1000 },
          "holdoutPercent": 10,
          "activeFrom": null, "activeUntil": null }
        """;

    [Fact]
    public void Contract_example_parses()
    {
        var trigger = TestTriggers.Parse(ContractExample);
        Assert.Equal("cart-rescue", trigger.Id);
        Assert.Equal(100, trigger.Priority);
        Assert.Equal("add_to_cart", trigger.On.Event);
        Assert.Equal(3, trigger.Conditions.Count);
        Assert.Equal(new ClickWhere { Type = "product_view", CategoryId = "shoes" }, trigger.Conditions[1].Where);
        Assert.Equal(new DiscountSpec { Kind = "percent", Value = 10m }, trigger.Action.Discount);
        Assert.Equal(new TriggerLimits { MaxPerShopper = 1, CooldownSeconds = 3600, MaxPerDay = 1000 }, trigger.Limits);
        Assert.Equal(10, trigger.HoldoutPercent);
        Assert.Null(trigger.ActiveFrom);
    }

    [Fact]
    public void Every_bad_field_is_named_at_once()
    {
        const string Bad = """
            { "id": "bad id!", "name": "", "on": { "event": "teleport" },
              "conditions": [
                { "fact": "basket.total", "op": "gte", "value": 50 },
                { "fact": "basket.total", "op": "bigger", "value": 1 },
                { "any": [ { "fact": "event.price", "op": "gt", "value": 1 }, { "fact": "shopper.orders", "op": "lt" },
                           { "fact": "event.channel", "op": "eq", "value": "fax" } ] } ],
              "action": { "type": "offer", "title": "t", "message": "m", "discount": { "kind": "percent", "value": 150 }, "code": "X" },
              "limits": { "maxPerShopper": 0 },
              "holdoutPercent": 101,
              "colour": "red" }
            """;
        var errors = TestTriggers.Errors(Bad);
        Assert.Equal(
            new[]
            {
                "action.discount.value", "colour", "conditions[1].op", "conditions[2].any[1].value", "conditions[2].any[2].value",
                "holdoutPercent", "id", "limits.maxPerShopper", "name", "on.event",
            },
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("must be one of: eq, ne", errors["conditions[1].op"][0]);
    }

    [Theory]
    [InlineData("""{"fact":"event.type","op":"gt","value":"purchase"}""", "conditions[0].op")]
    [InlineData("""{"fact":"event.type","op":"eq","value":"teleport"}""", "conditions[0].value")]
    [InlineData("""{"fact":"shopper.npsClass","op":"in","value":["promoter","fan"]}""", "conditions[0].value")]
    [InlineData("""{"fact":"basket.total","op":"eq","value":"50"}""", "conditions[0].value")]
    [InlineData("""{"fact":"basket.total","op":"in","value":[]}""", "conditions[0].value")]
    [InlineData("""{"fact":"basket.total","op":"exists","value":1}""", "conditions[0].value")]
    [InlineData("""{"fact":"shopper.referred","op":"eq","value":"yes"}""", "conditions[0].value")]
    [InlineData("""{"fact":"shopper.referred","op":"exists"}""", "conditions[0].op")]
    [InlineData("""{"fact":"basket.hasProduct","op":"eq","value":true}""", "conditions[0].value")]
    [InlineData("""{"fact":"basket.hasProduct","op":"gt","value":"p1"}""", "conditions[0].op")]
    [InlineData("""{"fact":"count","op":"gte","value":3,"withinSeconds":60}""", "conditions[0].where")]
    [InlineData("""{"fact":"count","op":"gte","value":3,"where":{}}""", "conditions[0].withinSeconds")]
    [InlineData("""{"fact":"count","op":"gte","value":3,"where":{},"withinSeconds":0}""", "conditions[0].withinSeconds")]
    [InlineData("""{"fact":"count","op":"in","value":[3],"where":{},"withinSeconds":60}""", "conditions[0].op")]
    [InlineData("""{"fact":"count","op":"gte","value":3,"where":{"type":"jump"},"withinSeconds":60}""", "conditions[0].where.type")]
    [InlineData("""{"fact":"count","op":"gte","value":3,"where":{"sku":"x"},"withinSeconds":60}""", "conditions[0].where.sku")]
    [InlineData("""{"fact":"basket.total","op":"gt","value":3,"withinSeconds":60}""", "conditions[0].withinSeconds")]
    [InlineData("""{"fact":"basket.totl","op":"gt","value":3}""", "conditions[0].fact")]
    [InlineData("""{"fact":"basket.total","op":"gt","value":3,"vaule":4}""", "conditions[0].vaule")]
    [InlineData("""{"any":[]}""", "conditions[0].any")]
    [InlineData("""{"any":[{"fact":"basket.total","op":"gt","value":1}],"fact":"basket.total"}""", "conditions[0].fact")]
    [InlineData("\"basket.total > 3\"", "conditions[0]")]
    public void Condition_errors_name_the_field(string condition, string path)
    {
        var errors = TestTriggers.Errors(TestTriggers.Json($"[{condition}]"));
        Assert.True(errors.ContainsKey(path), $"expected {path}, got {TestTriggers.Describe(errors)}");
    }

    [Fact]
    public void Any_groups_nest_at_most_four_deep_and_lists_hold_at_most_32()
    {
        const string Leaf = """{"fact":"basket.total","op":"gt","value":1}""";
        string Nest(int levels) => levels == 1 ? Leaf : $$"""{"any":[{{Nest(levels - 1)}}]}""";
        TestTriggers.Parse(TestTriggers.Json($"[{Nest(4)}]"));
        Assert.Contains("conditions[0].any[0].any[0].any[0].any", TestTriggers.Errors(TestTriggers.Json($"[{Nest(5)}]")).Keys);

        TestTriggers.Parse(TestTriggers.Json($"[{string.Join(",", Enumerable.Repeat(Leaf, 32))}]"));
        Assert.Contains("conditions", TestTriggers.Errors(TestTriggers.Json($"[{string.Join(",", Enumerable.Repeat(Leaf, 33))}]")).Keys);
    }

    [Theory]
    [InlineData("""{"type":"offer","title":"t","message":"m","code":"A"}""", "action.discount")]
    [InlineData("""{"type":"offer","title":"t","message":"m","discount":{"kind":"percent","value":10}}""", "action.code")]
    [InlineData("""{"type":"offer","title":"t","message":"m","discount":{"kind":"percent","value":10},"code":"A","codePrefix":"B"}""", "action.code")]
    [InlineData("""{"type":"offer","title":"t","message":"m","discount":{"kind":"percent","value":10},"codePrefix":"spring"}""", "action.codePrefix")]
    [InlineData("""{"type":"offer","title":"t","message":"m","discount":{"kind":"amount","value":0},"code":"A"}""", "action.discount.value")]
    [InlineData("""{"type":"offer","title":"t","message":"m","discount":{"kind":"amount","value":5,"currency":"EURO"},"code":"A"}""", "action.discount.currency")]
    [InlineData("""{"type":"offer","title":"t","message":"m","discount":{"kind":"freeShipping","value":3},"code":"A"}""", "action.discount.value")]
    [InlineData("""{"type":"offer","title":"t","message":"m","discount":{"kind":"bogo"},"code":"A"}""", "action.discount.kind")]
    [InlineData("""{"type":"recommendations","title":"t","message":"m"}""", "action.strategy")]
    [InlineData("""{"type":"recommendations","title":"t","message":"m","strategy":"trending","count":21}""", "action.count")]
    [InlineData("""{"type":"survey","title":"t","message":"m","survey":"csat","question":"q"}""", "action.survey")]
    [InlineData("""{"type":"survey","title":"t","message":"m","survey":"nps"}""", "action.question")]
    [InlineData("""{"type":"referralPrompt","title":"t","message":"m","code":"A"}""", "action.code")]
    [InlineData("""{"type":"referralPrompt","message":"m"}""", "action.title")]
    [InlineData("""{"type":"referralPrompt","title":"t"}""", "action.message")]
    [InlineData("""{"type":"referralPrompt","title":"t","message":"m","ttlSeconds":604801}""", "action.ttlSeconds")]
    [InlineData("""{"type":"banner","title":"t","message":"m"}""", "action.type")]
    public void Action_errors_name_the_field(string action, string path)
    {
        var errors = TestTriggers.Errors(TestTriggers.Json(action: action));
        Assert.True(errors.ContainsKey(path), $"expected {path}, got {TestTriggers.Describe(errors)}");
    }

    [Fact]
    public void Action_defaults_are_filled_in()
    {
        var recommendations = TestTriggers.Parse(TestTriggers.Json(action: """{"type":"recommendations","title":"t","message":"","strategy":"alsoBought"}""")).Action;
        Assert.Equal(4, recommendations.Count);
        Assert.Equal(1800, recommendations.TtlSeconds);

        var freeShipping = TestTriggers.Parse(TestTriggers.Json(action: """{"type":"offer","title":"t","message":"m","discount":{"kind":"freeShipping"},"codePrefix":"SHIP-"}""")).Action;
        Assert.Equal(new DiscountSpec { Kind = "freeShipping", Value = 0 }, freeShipping.Discount);
    }

    [Theory]
    [InlineData("""{"event":"add_to_cart","idleSeconds":30}""", "on")]
    [InlineData("{}", "on")]
    [InlineData("""{"idleSeconds":0}""", "on.idleSeconds")]
    [InlineData("""{"idleSeconds":2592001}""", "on.idleSeconds")]
    [InlineData("\"add_to_cart\"", "on")]
    public void On_needs_exactly_one_valid_wake_up(string on, string path)
    {
        Assert.Contains(path, TestTriggers.Errors(TestTriggers.Json(on: on)).Keys);
    }

    [Fact]
    public void Active_window_must_be_ordered_iso_instants()
    {
        var backwards = TestTriggers.Errors(TestTriggers.Json(extra: ""","activeFrom":"2025-02-01T00:00:00Z","activeUntil":"2025-01-01T00:00:00Z" """));
        Assert.Contains("activeUntil", backwards.Keys);
        Assert.Contains("activeFrom", TestTriggers.Errors(TestTriggers.Json(extra: ""","activeFrom":"next tuesday" """)).Keys);

        var ok = TestTriggers.Parse(TestTriggers.Json(extra: ""","activeFrom":"2025-01-01T00:00:00Z","activeUntil":"2025-02-01T00:00:00+01:00" """));
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), ok.ActiveFrom);
    }

    [Fact]
    public void Route_id_fills_a_missing_id_and_must_match_a_present_one()
    {
        var withoutId = TestTriggers.Json().Replace("\"id\":\"t1\",", "");
        Assert.Equal("from-url", TestTriggers.Parse(withoutId, routeId: "from-url").Id);
        Assert.Contains("id", TestTriggers.Errors(withoutId).Keys);
        Assert.Contains("id", TestTriggers.Errors(TestTriggers.Json(id: "t1"), routeId: "t2").Keys);
        Assert.Equal("t1", TestTriggers.Parse(TestTriggers.Json(id: "t1"), routeId: "t1").Id);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("{not json")]
    [InlineData("")]
    public void A_body_that_is_not_an_object_is_a_root_error(string json)
    {
        Assert.Equal([""], TestTriggers.Errors(json).Keys);
    }

    [Fact]
    public void Element_overload_reads_the_same_document()
    {
        using var document = JsonDocument.Parse(ContractExample);
        Assert.True(TriggerParser.TryParse(document.RootElement, null, out var fromElement, out _));
        Assert.Equal(TestTriggers.Parse(ContractExample), fromElement);
    }
}
