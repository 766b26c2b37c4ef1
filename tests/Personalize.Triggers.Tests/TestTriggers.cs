using Personalize.Triggers;

namespace Personalize.Triggers.Tests;

/// <summary>Builds trigger documents around the part a test cares about.</summary>
internal static class TestTriggers
{
    public const string ReferralAction = """{"type":"referralPrompt","title":"Invite a friend","message":"Share your link"}""";

    public static string Json(
        string conditions = "[]",
        string on = """{"event":"add_to_cart"}""",
        string id = "t1",
        int priority = 0,
        string action = ReferralAction,
        string extra = "") =>
        $$"""{"id":"{{id}}","name":"Test trigger","priority":{{priority}},"on":{{on}},"conditions":{{conditions}},"action":{{action}}{{extra}}}""";

    public static TriggerDefinition Parse(string json, string? routeId = null)
    {
        var ok = TriggerParser.TryParse(json, routeId, out var trigger, out var errors);
        Assert.True(ok, Describe(errors));
        Assert.NotNull(trigger);
        return trigger;
    }

    public static IReadOnlyDictionary<string, string[]> Errors(string json, string? routeId = null)
    {
        var ok = TriggerParser.TryParse(json, routeId, out var trigger, out var errors);
        Assert.False(ok, "expected the document to be rejected");
        Assert.Null(trigger);
        return errors;
    }

    public static CompiledTrigger Compile(string conditions) => CompiledTrigger.Compile(Parse(Json(conditions)));

    /// <summary>Compiles a single condition leaf or group given as JSON.</summary>
    public static bool Holds(string condition, FakeFacts facts) => Compile($"[{condition}]").Evaluate(facts);

    public static string Describe(IReadOnlyDictionary<string, string[]> errors) =>
        string.Join("; ", errors.Select(kv => $"{kv.Key}: {string.Join(" / ", kv.Value)}"));
}
