using System.Net.Http.Headers;
using System.Text;

namespace Personalize.Benchmarks.Memory;

/// <summary>
/// The trigger catalog typical shoppers are judged against while the probe measures them. A shopper
/// asked a <c>count</c> question keeps a tally of its click ring between events (ShopperModel.Facts), so
/// measuring against an empty catalog would leave that memory out. These triggers are the kinds a shop
/// runs (browse abandonment, basket threshold, repeated search, category interest) and none fires
/// during the typical session, so the figure is an idle browsing shopper's, not one with pending pushes.
/// </summary>
public static class ProbeCatalog
{
    public static readonly IReadOnlyList<string> TriggerJson =
    [
        """
        { "id": "probe-browse", "name": "Browsed a lot", "enabled": true, "priority": 5,
          "on": { "event": "product_view" },
          "conditions": [ { "fact": "count", "where": { "type": "product_view" }, "withinSeconds": 600, "op": "gte", "value": 8 } ],
          "action": { "type": "recommendations", "title": "Still looking?", "message": "You viewed these", "strategy": "recentlyViewed", "count": 4, "ttlSeconds": 3600 } }
        """,
        """
        { "id": "probe-category", "name": "Category interest", "enabled": true, "priority": 4,
          "on": { "event": "product_view" },
          "conditions": [ { "fact": "count", "where": { "type": "product_view", "categoryId": "cat-07" }, "withinSeconds": 1800, "op": "gte", "value": 5 } ],
          "action": { "type": "offer", "title": "Shoes", "message": "10% off shoes", "discount": { "kind": "percent", "value": 10 }, "code": "SHOES10", "ttlSeconds": 3600 } }
        """,
        """
        { "id": "probe-basket", "name": "Big basket", "enabled": true, "priority": 3,
          "on": { "event": "add_to_cart" },
          "conditions": [ { "fact": "basket.total", "op": "gte", "value": 500 },
                          { "fact": "count", "where": { "type": "add_to_cart" }, "withinSeconds": 3600, "op": "gte", "value": 2 } ],
          "action": { "type": "offer", "title": "Free shipping", "message": "On us", "discount": { "kind": "freeShipping", "value": 0 }, "code": "SHIPFREE", "ttlSeconds": 3600 } }
        """,
        """
        { "id": "probe-search", "name": "Searching hard", "enabled": true, "priority": 2,
          "on": { "event": "search" },
          "conditions": [ { "fact": "count", "where": { "type": "search" }, "withinSeconds": 900, "op": "gte", "value": 4 } ],
          "action": { "type": "recommendations", "title": "Popular now", "message": "Trending", "strategy": "trending", "count": 4, "ttlSeconds": 3600 } }
        """,
    ];

    /// <summary>One line for memory.json's session description.</summary>
    public static string Description =>
        $"catalog: {TriggerJson.Count} triggers with count conditions (browse, category, basket, search), none firing in the session";

    /// <summary>Creates the triggers through the marketer API and waits until the silo's catalog has them.</summary>
    public static async Task InstallAsync(ProbeGateway gateway)
    {
        foreach (var json in TriggerJson) await PostTriggerAsync(gateway, json);
        // Catalog changes reach the silo's compiled cache within a second.
        await Task.Delay(TimeSpan.FromSeconds(2));
    }

    public static async Task PostTriggerAsync(ProbeGateway gateway, string json)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        using var http = new HttpClient { BaseAddress = new Uri(gateway.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/triggers")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Api-Key", gateway.MarketerKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"a probe trigger was refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
