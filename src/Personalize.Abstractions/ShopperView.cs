namespace Personalize;

/// <summary>What <c>GetState</c> and <c>GET /api/shoppers/{id}</c> answer (CONTRACT.md §2).</summary>
[GenerateSerializer, Alias("Personalize.ShopperView")]
public sealed record ShopperView
{
    [Id(0)] public string ShopperId { get; init; } = "";
    [Id(1)] public BasketView Basket { get; init; } = new();
    [Id(2)] public IReadOnlyList<ShopperEvent> RecentEvents { get; init; } = [];
    [Id(3)] public IReadOnlyList<Nudge> PendingNudges { get; init; } = [];
    [Id(4)] public int Orders { get; init; }
    [Id(5)] public decimal LifetimeValue { get; init; }
    [Id(6)] public string? ReferralCode { get; init; }
    [Id(7)] public bool ReferredBy { get; init; }
    [Id(8)] public int? NpsScore { get; init; }
    [Id(9)] public bool Consent { get; init; } = true;
    [Id(10)] public IReadOnlyList<RewardEntry> Rewards { get; init; } = [];
}

[GenerateSerializer, Alias("Personalize.BasketView")]
public sealed record BasketView
{
    [Id(0)] public IReadOnlyList<BasketLine> Lines { get; init; } = [];
    [Id(1)] public int Count { get; init; }
    [Id(2)] public decimal Total { get; init; }
}

[GenerateSerializer, Alias("Personalize.BasketLine")]
public sealed record BasketLine
{
    [Id(0)] public string ProductId { get; init; } = "";
    [Id(1)] public string? CategoryId { get; init; }
    [Id(2)] public int Quantity { get; init; }
    [Id(3)] public decimal Price { get; init; }
}

/// <summary>A referrer's reward as the shopper sees it (never the friend's order id).</summary>
[GenerateSerializer, Alias("Personalize.RewardEntry")]
public sealed record RewardEntry
{
    [Id(0)] public string Id { get; init; } = "";
    [Id(1)] public decimal Amount { get; init; }
    [Id(2)] public string? Currency { get; init; }
    [Id(3)] public string Status { get; init; } = "";
    [Id(4)] public DateTimeOffset CreatedAt { get; init; }
}
