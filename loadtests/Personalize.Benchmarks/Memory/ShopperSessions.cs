using System.Globalization;
using System.Text.Json;

namespace Personalize.Benchmarks.Memory;

/// <summary>
/// The sessions the probe gives its shoppers. Each event is parsed from JSON, as the hub parses what a
/// storefront sends, so the grain receives fresh strings exactly as it does in production (a literal
/// shared by every event would hide what duplicated strings cost).
/// </summary>
public static class ShopperSessions
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What a typical short visit sends, in order; written into memory.json.</summary>
    public static readonly IReadOnlyList<string> TypicalDescription =
    [
        "page_view (channel web)",
        "product_view (productId, categoryId, price)",
        "product_view (productId, categoryId, price)",
        "product_view (productId, categoryId, price)",
        "search (query)",
        "add_to_cart (productId, categoryId, price, quantity 1)",
    ];

    public const int FullPageViews = 20;
    public const int FullOrders = 100;
    public const int FullBasketLines = 200;

    /// <summary>How a worst-case shopper is made; written into memory.json.</summary>
    public static readonly IReadOnlyList<string> FullDescription =
    [
        $"{FullPageViews} page_view, each answered by an offer push from a probe trigger (codePrefix, no limits; hourly cap raised to {FullPageViews}): outbox, sent pushes and recent pushes at {FullPageViews}",
        $"{FullOrders} purchase with one order line each: order ids at their cap ({FullOrders})",
        $"{FullBasketLines} add_to_cart of distinct products: basket at its cap ({FullBasketLines} lines)",
        "1 nps_response",
        $"{FullPageViews + FullOrders + FullBasketLines + 1} events in all: click ring (100) and seen event ids (256) at their caps",
    ];

    /// <summary>The probe trigger that fills the outbox of full shoppers (marketer API body).</summary>
    public const string FullTriggerJson = """
        { "id": "memory-probe-offer", "name": "Memory probe offer", "enabled": true, "priority": 1,
          "on": { "event": "page_view" }, "conditions": [],
          "action": { "type": "offer", "title": "Welcome back", "message": "10% off today",
                      "discount": { "kind": "percent", "value": 10 }, "codePrefix": "MEM", "ttlSeconds": 86400 } }
        """;

    public static IEnumerable<ShopperEvent> Typical(int shopper)
    {
        var product = shopper * 7;
        yield return Parse($$"""{"id":"{{NewId()}}","type":"page_view","channel":"web"}""");
        for (var i = 0; i < 3; i++)
            yield return Parse(ProductJson("product_view", product + i, quantity: null));
        yield return Parse($$"""{"id":"{{NewId()}}","type":"search","channel":"web","query":"running shoes"}""");
        yield return Parse(ProductJson("add_to_cart", product + 2, quantity: 1));
    }

    public static IEnumerable<ShopperEvent> Full(int shopper)
    {
        for (var i = 0; i < FullPageViews; i++)
            yield return Parse($$"""{"id":"{{NewId()}}","type":"page_view","channel":"web"}""");
        for (var i = 0; i < FullOrders; i++)
        {
            var sku = Sku(shopper * 1000 + i);
            yield return Parse($$"""
                {"id":"{{NewId()}}","type":"purchase","channel":"web","orderId":"order-{{shopper}}-{{i}}","orderTotal":40.00,
                 "lines":[{"productId":"{{sku}}","categoryId":"{{Category(i)}}","quantity":1,"price":40.00}]}
                """);
        }
        for (var i = 0; i < FullBasketLines; i++)
            yield return Parse(ProductJson("add_to_cart", shopper * 1000 + FullOrders + i, quantity: 1));
        yield return Parse($$"""{"id":"{{NewId()}}","type":"nps_response","channel":"web","score":9}""");
    }

    private static string ProductJson(string type, int product, int? quantity) =>
        $$"""{"id":"{{NewId()}}","type":"{{type}}","channel":"web","productId":"{{Sku(product)}}","categoryId":"{{Category(product)}}","price":19.99{{(quantity is { } q ? $",\"quantity\":{q}" : "")}}}""";

    private static string Sku(int product) => "sku-" + (product % 50_000).ToString("D5", CultureInfo.InvariantCulture);

    private static string Category(int product) => "cat-" + (product % 40).ToString("D2", CultureInfo.InvariantCulture);

    /// <summary>The id a storefront client makes (Personalize.Client: a GUID without dashes).</summary>
    private static string NewId() => Guid.NewGuid().ToString("N");

    private static ShopperEvent Parse(string json) =>
        JsonSerializer.Deserialize<ShopperEvent>(json, Json) ?? throw new InvalidOperationException("empty event");
}
