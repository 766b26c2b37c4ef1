namespace Personalize.Client;

/// <summary>
/// One thing a shopper did (CONTRACT.md §2 "ShopperEvent"). Only <see cref="Type"/> is always required;
/// <see cref="PersonalizeClient.TrackAsync"/> fills a missing <see cref="Id"/> so a retry can reuse it.
/// </summary>
public sealed record ShopperEvent
{
    public string? Id { get; init; }
    public required string Type { get; init; }
    public DateTimeOffset? At { get; init; }
    public string? Channel { get; init; }
    public string? ProductId { get; init; }
    public string? CategoryId { get; init; }
    public decimal? Price { get; init; }
    public int? Quantity { get; init; }
    public string? Query { get; init; }
    public string? OrderId { get; init; }
    public decimal? OrderTotal { get; init; }
    public IReadOnlyList<OrderLine>? Lines { get; init; }
    public string? ReferralCode { get; init; }
    public int? Score { get; init; }
    public string? NudgeId { get; init; }
    public bool? Granted { get; init; }

    /// <summary>A fresh client-unique id: 32 hex characters, well inside the contract's 64.</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");
}

public sealed record OrderLine
{
    public required string ProductId { get; init; }
    public string? CategoryId { get; init; }
    public int Quantity { get; init; } = 1;
    public decimal Price { get; init; }
}

/// <summary>Event type names fixed by the contract.</summary>
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
}

/// <summary>The answer to <c>Track</c>: a repeated event id is answered <c>duplicate: true</c>.</summary>
public sealed record TrackResult(bool Accepted, bool Duplicate);

/// <summary>The answer to <c>GetReferralLink</c>: the same code on every call.</summary>
public sealed record ReferralLink(string Code, string ShareUrl);

/// <summary>The answer to <c>POST /api/shopper-tokens</c>.</summary>
public sealed record ShopperToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>The answer to <c>POST /api/events</c>.</summary>
public sealed record EventsAccepted(int Accepted, int Duplicates);
