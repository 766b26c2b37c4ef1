using Personalize.Client;

namespace Personalize.Benchmarks.Serialization;

/// <summary>Representative payloads: what a storefront sends most and what the server pushes most.</summary>
public static class Samples
{
    public static readonly ShopperEvent ProductView = new()
    {
        Id = "3f2b8c1e9a7d4e6f8b0c2d4e6f8a0b1c", Type = EventTypes.ProductView, Channel = "web",
        ProductId = "sku-10442", CategoryId = "shoes", Price = 89.90m,
    };

    public static readonly ShopperEvent Purchase = new()
    {
        Id = "7a1c9e3b5d7f4a2c8e0b6d4f2a8c0e1b", Type = EventTypes.Purchase, Channel = "web",
        OrderId = "order-991823", OrderTotal = 120.50m,
        Lines =
        [
            new OrderLine { ProductId = "sku-10442", CategoryId = "shoes", Quantity = 1, Price = 89.90m },
            new OrderLine { ProductId = "sku-20011", CategoryId = "socks", Quantity = 2, Price = 15.30m },
        ],
    };

    public static readonly OfferPush Offer = new()
    {
        Id = "n-5b7d9f1a3c5e7a9b", TriggerId = "cart-rescue", Kind = PushKinds.Offer, Title = "Still thinking?",
        Message = "10 % off your basket for the next 30 minutes.",
        CreatedAt = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero),
        ExpiresAt = new DateTimeOffset(2025, 1, 1, 12, 30, 0, TimeSpan.Zero),
        Discount = new RewardValue { Kind = "percent", Value = 10 }, Code = "SAVE10",
    };

    public static readonly RecommendationsPush Recommendations = new()
    {
        Id = "n-1a2b3c4d5e6f7a8b", TriggerId = "also-bought", Kind = PushKinds.Recommendations, Title = "Goes well with",
        Message = "Others who bought this also bought…",
        CreatedAt = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero),
        ExpiresAt = new DateTimeOffset(2025, 1, 1, 13, 0, 0, TimeSpan.Zero),
        Strategy = "alsoBought", ProductIds = ["sku-20011", "sku-30417", "sku-11873", "sku-40502"],
    };
}
