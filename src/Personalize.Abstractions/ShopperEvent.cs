using System.Text.Json.Serialization;

namespace Personalize;

/// <summary>One thing a shopper did, as a storefront or backend reports it (CONTRACT.md §2).</summary>
/// <remarks>
/// Immutable to Orleans: nothing changes an event once made (its lists included), so a grain call in the same
/// process passes the instance instead of a deep copy, one of every <c>Track</c>'s allocations.
/// </remarks>
[GenerateSerializer, Immutable, Alias("Personalize.ShopperEvent")]
public sealed record ShopperEvent
{
    [Id(0)] public string Id { get; init; } = "";
    [Id(1)] public string Type { get; init; } = "";
    [Id(2)] public DateTimeOffset? At { get; init; }
    [Id(3)] public string? Channel { get; init; }
    [Id(4)] public string? ProductId { get; init; }
    [Id(5)] public string? CategoryId { get; init; }
    [Id(6)] public decimal? Price { get; init; }
    [Id(7)] public int? Quantity { get; init; }
    [Id(8)] public string? Query { get; init; }
    [Id(9)] public string? OrderId { get; init; }
    [Id(10)] public decimal? OrderTotal { get; init; }
    [Id(11)] public IReadOnlyList<OrderLine>? Lines { get; init; }
    [Id(12)] public string? ReferralCode { get; init; }
    [Id(13)] public int? Score { get; init; }
    [Id(14)] public string? NudgeId { get; init; }
    [Id(15)] public bool? Granted { get; init; }
    /// <summary>Optional device fingerprint and network, used by referral abuse rules.</summary>
    [Id(16)] public string? DeviceId { get; init; }
    [Id(17)] public string? Network { get; init; }
}

[GenerateSerializer, Immutable, Alias("Personalize.OrderLine")]
public sealed record OrderLine
{
    [Id(0)] public string ProductId { get; init; } = "";
    [Id(1)] public string? CategoryId { get; init; }
    [Id(2)] public int Quantity { get; init; } = 1;
    [Id(3)] public decimal Price { get; init; }
}

/// <summary>The answer to <c>Track</c>.</summary>
[GenerateSerializer, Alias("Personalize.TrackResult")]
public readonly record struct TrackResult(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] bool Duplicate);

/// <summary>Event type names, fixed by the contract.</summary>
public static class EventTypes
{
    public const string PageView = "page_view";
    public const string ProductView = "product_view";
    public const string Search = "search";
    public const string AddToCart = "add_to_cart";
    public const string RemoveFromCart = "remove_from_cart";
    public const string CheckoutStarted = "checkout_started";
    public const string Purchase = "purchase";
    public const string ReferralLanding = "referral_landing";
    public const string Share = "share";
    public const string NpsResponse = "nps_response";
    public const string NudgeShown = "nudge_shown";
    public const string NudgeClicked = "nudge_clicked";
    public const string NudgeDismissed = "nudge_dismissed";
    public const string Consent = "consent";
    /// <summary>Server-only: accepted from <c>POST /api/events</c>, refused from the hub.</summary>
    public const string Refund = "refund";

    public static readonly IReadOnlySet<string> Client = new HashSet<string>(StringComparer.Ordinal)
    {
        PageView, ProductView, Search, AddToCart, RemoveFromCart, CheckoutStarted, Purchase,
        ReferralLanding, Share, NpsResponse, NudgeShown, NudgeClicked, NudgeDismissed, Consent,
    };

    public static readonly IReadOnlySet<string> ServerOnly = new HashSet<string>(StringComparer.Ordinal) { Refund };

    public static bool IsKnown(string type) => Client.Contains(type) || ServerOnly.Contains(type);
}

public static class Channels
{
    public const string Web = "web";
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { "web", "app", "pos", "email" };
}
