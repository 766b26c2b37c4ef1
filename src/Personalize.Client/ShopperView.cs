namespace Personalize.Client;

/// <summary>What <c>GetState</c> answers (CONTRACT.md §2 "ShopperView").</summary>
public sealed record ShopperView
{
    public string ShopperId { get; init; } = "";
    public BasketView Basket { get; init; } = new();
    /// <summary>Newest first, bounded by the server.</summary>
    public IReadOnlyList<ShopperEvent> RecentEvents { get; init; } = [];
    /// <summary>Each entry is typed by its <c>kind</c> (see <see cref="PushJsonConverter"/>).</summary>
    public IReadOnlyList<Push> PendingNudges { get; init; } = [];
    public int Orders { get; init; }
    public decimal LifetimeValue { get; init; }
    public string? ReferralCode { get; init; }
    public bool ReferredBy { get; init; }
    public int? NpsScore { get; init; }
    public bool Consent { get; init; } = true;
}

public sealed record BasketView
{
    public IReadOnlyList<OrderLine> Lines { get; init; } = [];
    /// <summary>Items, quantities summed.</summary>
    public int Count { get; init; }
    public decimal Total { get; init; }
}
