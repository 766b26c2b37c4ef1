namespace Personalize.Grains;

/// <summary>
/// A shopper's referral memory, both as a friend (attribution, qualifying order, hand-off outbox) and
/// as a referrer (reward ledger). Stored inside <see cref="ShopperState"/> so an order and the hand-off
/// it creates are written together, in one state write. Its lists are made on first use, as in
/// <see cref="ShopperState"/>: most shoppers never refer anyone nor land through a link.
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
    public List<ReferralHandoff> Outbox { get => _outbox ??= []; set => _outbox = value; }
    [Id(3)] private List<ReferralHandoff>? _outbox;
    /// <summary>Rewards this shopper earned as a referrer, oldest first.</summary>
    public List<LedgerEntry> Ledger { get => _ledger ??= []; set => _ledger = value; }
    [Id(4)] private List<LedgerEntry>? _ledger;
    /// <summary>Keys (friend/order) of credits refused by the monthly cap, so a retried one is not counted twice.</summary>
    public List<string> Refused { get => _refused ??= []; set => _refused = value; }
    [Id(5)] private List<string>? _refused;
    [Id(6)] public bool HasShared { get; set; }
    /// <summary>Hashes (never the raw values) of the latest devices this shopper's own events came from; abuse rules only.</summary>
    public List<string> Devices { get => _devices ??= []; set => _devices = value; }
    [Id(7)] private List<string>? _devices;
    /// <summary>Hashes of the latest networks this shopper's own events came from; abuse rules only.</summary>
    public List<string> Networks { get => _networks ??= []; set => _networks = value; }
    [Id(8)] private List<string>? _networks;

    /// <summary>Whether hand-offs wait for delivery, without making the outbox to find out.</summary>
    public bool HasPendingHandoffs => _outbox is { Count: > 0 };
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
