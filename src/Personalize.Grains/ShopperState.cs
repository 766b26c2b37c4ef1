namespace Personalize.Grains;

/// <summary>
/// Everything kept about one shopper. Every collection is bounded (caps in <see cref="ShopperLimits"/>)
/// so an idle grain stays small and a hostile client cannot grow it. Collections most shoppers never
/// use are made on first use: the stored field stays null until then (an empty one costs 32 to 80
/// bytes, times every idle shopper), and the properties hide that from the code that uses them.
/// </summary>
[GenerateSerializer, Alias("Personalize.ShopperState")]
public sealed class ShopperState
{
    [Id(0)] public List<BasketLine> Basket { get; set; } = [];
    // Ids 1 and 2 held the click ring as whole events and the seen ids as strings; never reuse them.
    /// <summary>Pushes issued and not yet shown, clicked, dismissed or expired.</summary>
    public List<Nudge> Outbox { get => _outbox ??= []; set => _outbox = value; }
    [Id(3)] private List<Nudge>? _outbox;
    [Id(4)] public int Orders { get; set; }
    [Id(5)] public decimal LifetimeValue { get; set; }
    [Id(6)] public bool ConsentWithdrawn { get; set; }
    [Id(7)] public DateTimeOffset? FirstSeen { get; set; }
    /// <summary>Unique offer codes issued to this shopper, by trigger id (codePrefix offers).</summary>
    public Dictionary<string, string> IssuedCodes { get => _issuedCodes ??= []; set => _issuedCodes = value; }
    [Id(8)] private Dictionary<string, string>? _issuedCodes;
    /// <summary>Recent order ids, for idempotency by order.</summary>
    public List<string> OrderIds { get => _orderIds ??= []; set => _orderIds = value; }
    [Id(9)] private List<string>? _orderIds;
    [Id(10)] public int? NpsScore { get; set; }
    /// <summary>Per-trigger memory: how often and when it fired, holdout assignment.</summary>
    public Dictionary<string, TriggerMemory> Triggers { get => _triggers ??= []; set => _triggers = value; }
    [Id(11)] private Dictionary<string, TriggerMemory>? _triggers;
    /// <summary>When the last pushes were issued (at most the hourly cap), for the global cap.</summary>
    public List<DateTimeOffset> RecentPushes { get => _recentPushes ??= []; set => _recentPushes = value; }
    [Id(12)] private List<DateTimeOffset>? _recentPushes;
    [Id(13)] public bool Identified { get; set; }
    [Id(14)] public DateTimeOffset? LastEventAt { get; set; }
    /// <summary>This shopper's own referral code, once claimed.</summary>
    [Id(15)] public string? ReferralCode { get; set; }
    /// <summary>The referrer who brought this shopper (first touch), if any.</summary>
    [Id(16)] public string? ReferredBy { get; set; }
    /// <summary>Friends this shopper referred who became customers.</summary>
    [Id(17)] public int Referrals { get; set; }
    // Ids 18..29 belong to the referral programme (issue 4).
    /// <summary>Attribution, qualifying order, hand-off outbox and reward ledger.</summary>
    public ReferralState Referral { get => _referral ??= new(); set => _referral = value; }
    [Id(18)] private ReferralState? _referral;

    /// <summary>Whether referral hand-offs wait for delivery (checked on every event), without making the referral state.</summary>
    public bool HasPendingReferralHandoffs => _referral?.HasPendingHandoffs == true;

    // Ids from 30 on belong to the guards and stats (issue 3), so concurrent work on other fields cannot collide.
    /// <summary>The last pushes sent, newest last, for attributing nudge_* reports to their trigger.</summary>
    public List<SentNudge> SentNudges { get => _sentNudges ??= []; set => _sentNudges = value; }
    [Id(30)] private List<SentNudge>? _sentNudges;
    /// <summary>Idle triggers due at or before this time were judged in the current idle spell.</summary>
    [Id(31)] public DateTimeOffset? IdleCheckedUntil { get; set; }
    /// <summary>Whether the idle reminder is registered (so the hot path registers it once, not per event).</summary>
    [Id(32)] public bool IdleReminderSet { get; set; }

    // Ids from 40 on belong to recommendations, NPS and identity (issue 8).
    /// <summary>The UTC day of the last NPS answer: a same-day re-answer replaces it in the stats instead of adding one.</summary>
    [Id(40)] public DateOnly? NpsAnsweredOn { get; set; }
    /// <summary>Set once this anonymous shopper was merged into a customer: everything for this id goes there.</summary>
    [Id(41)] public string? MergedInto { get; set; }
    /// <summary>Anonymous ids merged into this customer, oldest first, so a repeated merge changes nothing.</summary>
    public List<string> MergedIds { get => _mergedIds ??= []; set => _mergedIds = value; }
    [Id(42)] private List<string>? _mergedIds;

    /// <summary>Pushes pending, without making the outbox of a shopper who never had one.</summary>
    public IReadOnlyList<Nudge> PendingOutbox => (IReadOnlyList<Nudge>?)_outbox ?? [];

    // Ids from 50 on belong to the memory work (issue 6).
    /// <summary>The click ring, oldest first, in compact form; feeds <c>count</c> conditions and <c>recentEvents</c>.</summary>
    public List<Click> Clicks { get => _clicks; set => _clicks = value; }
    [NonSerialized] private List<Click> _clicks = [];
    /// <summary>The ring as rows written before the packed form hold it (a graph of clicks); read, never written.</summary>
    [Id(50)]
    internal List<Click>? ClicksAsObjects
    {
        get => null;
        set { if (value is not null) Clicks = value; }
    }
    /// <summary>The ring as stored (<see cref="Click.PackRing"/>): one array instead of a click object each.</summary>
    [Id(52)]
    internal byte[]? ClicksPacked
    {
        get => Clicks.Count == 0 ? null : Click.PackRing(Clicks);
        set { if (value is not null) Clicks = Click.UnpackRing(value); }
    }
    /// <summary>
    /// 64-bit hashes of recent event ids (<see cref="EventIdHash"/>), oldest first, for idempotency: 8 bytes
    /// each instead of the id string. With at most <see cref="ShopperLimits.SeenEventIds"/> remembered, a
    /// new id is mistaken for a repeat with probability about 256 / 2^64 (1.4e-17) per event; such an
    /// event would be answered "duplicate" and dropped, and only for that one shopper.
    /// </summary>
    [Id(51)] public List<ulong> SeenEventIds { get; set; } = [];
}

/// <summary>The stable 64-bit hash remembered for an event id (stored, so never <c>string.GetHashCode</c>).</summary>
public static class EventIdHash
{
    /// <summary>FNV-1a over the UTF-16 code units, then a murmur3 finalizer to spread short ids over all 64 bits.</summary>
    public static ulong Of(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var hash = 14695981039346656037UL;
        foreach (var c in id)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }
}

[GenerateSerializer, Alias("Personalize.TriggerMemory")]
public sealed class TriggerMemory
{
    [Id(0)] public int Fired { get; set; }
    [Id(1)] public DateTimeOffset? LastFiredAt { get; set; }
    /// <summary>When the shopper was last counted in this trigger's holdout.</summary>
    [Id(2)] public DateTimeOffset? HoldoutAt { get; set; }
    /// <summary>Whether a purchase already counted as this trigger's conversion for the last touch.</summary>
    [Id(3)] public bool Converted { get; set; }
}

public static class ShopperLimits
{
    public const int ClickRing = 100;
    public const int SeenEventIds = 256;
    public const int Outbox = 20;
    public const int SentNudges = 20;
    public const int OrderIds = 100;
    public const int BasketLines = 200;
    public const int RecentEventsInView = 20;
    public const int MergedIds = 100;
}

/// <summary>A push this shopper was sent, remembered past its outbox life so later reports still find its trigger.</summary>
[GenerateSerializer, Alias("Personalize.SentNudge")]
public sealed class SentNudge
{
    [Id(0)] public string NudgeId { get; set; } = "";
    [Id(1)] public string TriggerId { get; set; } = "";
    /// <summary>Which of shown, clicked, dismissed were already counted, so a repeated report counts once.</summary>
    [Id(2)] public NudgeReports Reported { get; set; }
}

[Flags]
public enum NudgeReports
{
    None = 0,
    Shown = 1,
    Clicked = 2,
    Dismissed = 4,
}
