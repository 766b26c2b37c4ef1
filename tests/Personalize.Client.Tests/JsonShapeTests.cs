using System.Text.Json;
using Personalize.Client;

namespace Personalize.Client.Tests;

public class JsonShapeTests
{
    [Fact]
    public void Events_are_camelCase_and_leave_out_what_their_type_does_not_use()
    {
        var json = JsonSerializer.Serialize(
            new ShopperEvent { Id = "e1", Type = EventTypes.Purchase, OrderId = "o1", OrderTotal = 120.50m }, ClientJson.Options);

        Assert.Equal("""{"id":"e1","type":"purchase","orderId":"o1","orderTotal":120.50}""", json);
    }

    [Fact]
    public void A_push_read_as_the_base_type_becomes_the_record_of_its_kind()
    {
        const string json = """
            { "id": "n1", "triggerId": "t1", "kind": "recommendations", "title": "T", "message": "M",
              "createdAt": "2025-01-01T12:00:00Z", "expiresAt": "2025-01-01T13:00:00Z",
              "strategy": "alsoBought", "productIds": ["p1", "p2"] }
            """;

        var push = JsonSerializer.Deserialize<Push>(json, ClientJson.Options);

        var recommendations = Assert.IsType<RecommendationsPush>(push);
        Assert.Equal(["p1", "p2"], recommendations.ProductIds);
        Assert.Equal("t1", recommendations.TriggerId);
    }

    [Fact]
    public void A_push_of_an_unknown_kind_keeps_its_shared_fields()
    {
        const string json = """{ "id": "n2", "triggerId": "t2", "kind": "confetti", "title": "T", "message": "M" }""";

        var push = JsonSerializer.Deserialize<Push>(json, ClientJson.Options);

        Assert.NotNull(push);
        Assert.Equal("confetti", push.Kind);
        Assert.Equal("n2", push.Id);
    }

    [Fact]
    public void Pending_nudges_in_a_view_keep_their_extras()
    {
        const string json = """
            { "shopperId": "s1", "basket": { "lines": [], "count": 0, "total": 0 },
              "pendingNudges": [ { "id": "n1", "triggerId": "t", "kind": "offer", "title": "T", "message": "M",
                                   "discount": { "kind": "percent", "value": 10 }, "code": "SAVE10" } ],
              "npsScore": null, "consent": true }
            """;

        var view = JsonSerializer.Deserialize<ShopperView>(json, ClientJson.Options)!;

        var offer = Assert.IsType<OfferPush>(Assert.Single(view.PendingNudges));
        Assert.Equal("SAVE10", offer.Code);
        Assert.Equal(10, offer.Discount!.Value);
    }
}
