using Personalize.Triggers;

namespace Personalize.Triggers.Tests;

public class RoundTripTests
{
    [Fact]
    public void ToJson_is_camel_case_without_nulls_and_parses_back_equal()
    {
        var trigger = TestTriggers.Parse(TestTriggers.Json(
            conditions: """[{"fact":"count","where":{"type":"product_view"},"withinSeconds":600,"op":"gte","value":3},{"any":[{"fact":"event.channel","op":"in","value":["app","web"]}]}]""",
            action: """{"type":"offer","title":"t","message":"m","discount":{"kind":"amount","value":5.50,"currency":"EUR"},"codePrefix":"SPRING-"}""",
            extra: ""","limits":{"cooldownSeconds":0},"holdoutPercent":12.5,"activeUntil":"2030-01-01T00:00:00Z" """));

        var json = trigger.ToJson();
        Assert.Contains("\"withinSeconds\":600", json);
        Assert.Contains("\"codePrefix\":\"SPRING-\"", json);
        Assert.DoesNotContain("null", json);
        Assert.DoesNotContain("\"code\"", json);

        var again = TestTriggers.Parse(json);
        Assert.Equal(trigger, again);
        Assert.Equal(trigger.GetHashCode(), again.GetHashCode());
        Assert.NotEqual(trigger, again with { Conditions = [.. again.Conditions.Take(1)] });
    }

    [Fact]
    public void Equality_compares_condition_values_by_json_content()
    {
        var a = TestTriggers.Parse(TestTriggers.Json("""[{"fact":"basket.total","op":"in","value":[1,2]}]"""));
        var b = TestTriggers.Parse(TestTriggers.Json("""[ { "fact" : "basket.total", "op" : "in", "value" : [ 1, 2 ] } ]"""));
        var c = TestTriggers.Parse(TestTriggers.Json("""[{"fact":"basket.total","op":"in","value":[2,1]}]"""));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData("""{"id":"t1","name":"\ud800","on":{"event":"search"},"action":{"type":"referralPrompt","title":"t","message":"m"}}""")]
    [InlineData("""{"id":"t1","name":"n","on":{"event":"search"},"conditions":[{"fact":"event.productId","op":"eq","value":"\udfff"}],"action":{"type":"referralPrompt","title":"t","message":"m"}}""")]
    [InlineData("""{"id":"t1","name":"n","on":{"event":"search"},"holdoutPercent":1e400,"action":{"type":"referralPrompt","title":"t","message":"m"}}""")]
    public void Odd_json_is_answered_not_thrown(string json)
    {
        var ok = TriggerParser.TryParse(json, null, out var trigger, out var errors);
        if (ok)
        {
            Assert.True(TriggerParser.TryParse(trigger!.ToJson(), null, out _, out _));
        }
        else
        {
            Assert.NotEmpty(errors);
        }
    }
}
