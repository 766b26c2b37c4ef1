namespace Personalize.Grains.Tests;

/// <summary>Unique ids and small builders, so no test depends on what another added.</summary>
public static class TestData
{
    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>Polls on the wall clock (never the fake one) until the condition holds, for up to 10 s.</summary>
    public static async Task<bool> UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(20);
        return condition();
    }

    public static ShopperEvent Event(string type, string? productId = null, decimal? price = null, int? quantity = null,
        string? categoryId = null) =>
        new() { Id = NewId("e"), Type = type, ProductId = productId, Price = price, Quantity = quantity, CategoryId = categoryId };

    public static string OfferTrigger(string id, string on, string conditions, int priority = 0, string? limits = null,
        double holdout = 0, string code = "\"code\": \"SAVE10\"", int ttlSeconds = 1800) => $$"""
        { "id": "{{id}}", "name": "{{id}}", "priority": {{priority}}, "on": { "event": "{{on}}" },
          "conditions": [ {{conditions}} ],
          "action": { "type": "offer", "title": "Take 10%", "message": "for you", "discount": { "kind": "percent", "value": 10 },
                      {{code}}, "ttlSeconds": {{ttlSeconds}} }
          {{(limits is null ? "" : $", \"limits\": {limits}")}}, "holdoutPercent": {{holdout}} }
        """;
}
