namespace Personalize.Grains;

/// <summary>
/// A shopper's referral memory, both as a friend (attribution, qualifying order, hand-off outbox) and
/// as a referrer (reward ledger). Stored inside <see cref="ShopperState"/> so an order and the hand-off
/// it creates are written together, in one state write.
/// </summary>
[GenerateSerializer, Alias("Personalize.ReferralState")]
public sealed class ReferralState
{
    /// <summary>When this shopper was attributed to <see cref="ShopperState.ReferredBy"/>; starts the attribution window.</summary>
    [Id(0)] public DateTimeOffset? AttributedAt { get; set; }
    /// <summary>The order that earned the referrer's reward; later orders earn nothing.</summary>
    [Id(1)] public string? QualifiedOrderId { get; set; }
    [Id(2)] public bool QualifiedOrderRefunded { get; set; }
    /// <summary>Hand-offs to the referrer not yet acknowledged, oldest first; retried until they are.</summary>
    [Id(3)] public List<ReferralHandoff> Outbox { get; set; } = [];
    /// <summary>Rewards this shopper earned as a referrer, oldest first.</summary>
    [Id(4)] public List<LedgerEntry> Ledger { get; set; } = [];
    /// <summary>Keys (friend/order) of credits refused by the monthly cap, so a retried one is not counted twice.</summary>
    [Id(5)] public List<string> Refused { get; set; } = [];
    [Id(6)] public bool HasShared { get; set; }
    /// <summary>Hashes (never the raw values) of the latest devices this shopper's own events came from; abuse rules only.</summary>
    [Id(7)] public List<string> Devices { get; set; } = [];
    /// <summary>Hashes of the latest networks this shopper's own events came from; abuse rules only.</summary>
    [Id(8)] public List<string> Networks { get; set; } = [];
}

/// <summary>One reward in a referrer's ledger.</summary>
[GenerateSerializer, Alias("Personalize.LedgerEntry")]
public sealed class LedgerEntry
{
    [Id(0)] public string Id { get; set; } = "";
    /// <summary>Friend id and friend's order id: the idempotency key. Never shown to the referrer.</summary>
    [Id(1)] public string Key { get; set; } = "";
    [Id(2)] public decimal Amount { get; set; }
    [Id(3)] public string? Currency { get; set; }
    [Id(4)] public string Status { get; set; } = RewardStatus.Pending;
    [Id(5)] public DateTimeOffset CreatedAt { get; set; }
    [Id(6)] public DateTimeOffset ConfirmAt { get; set; }
}

public static class RewardStatus
{
    public const string Pending = "pending";
    public const string Confirmed = "confirmed";
    public const string Reversed = "reversed";
}

public static class ReferralLimits
{
    public const int Ledger = 500;
    public const int Refused = 200;
    public const int Outbox = 20;
    public const int CodeLength = 10;
    public const int CodeAttempts = 8;
    public const string FriendOfferTriggerId = "referral";
    public const int FriendOfferTtlDays = 7;
    /// <summary>Devices and networks kept per shopper: enough for a phone, a laptop, home and work.</summary>
    public const int Fingerprints = 8;
}
