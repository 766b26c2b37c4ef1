namespace Personalize.Grains;

/// <summary>
/// Everything kept about one shopper. Every collection is bounded (caps in <see cref="ShopperLimits"/>)
/// so an idle grain stays small and a hostile client cannot grow it.
/// </summary>
[GenerateSerializer, Alias("Personalize.ShopperState")]
public sealed class ShopperState
{
    [Id(0)] public List<BasketLine> Basket { get; set; } = [];
    /// <summary>The click ring, oldest first; feeds <c>count</c> conditions and <c>recentEvents</c>.</summary>
    [Id(1)] public List<ShopperEvent> Clicks { get; set; } = [];
    /// <summary>Recent event ids, oldest first, for idempotency.</summary>
    [Id(2)] public List<string> SeenEventIds { get; set; } = [];
    /// <summary>Pushes issued and not yet shown, clicked, dismissed or expired.</summary>
    [Id(3)] public List<Nudge> Outbox { get; set; } = [];
    [Id(4)] public int Orders { get; set; }
    [Id(5)] public decimal LifetimeValue { get; set; }
    [Id(6)] public bool ConsentWithdrawn { get; set; }
    [Id(7)] public DateTimeOffset? FirstSeen { get; set; }
    /// <summary>Unique offer codes issued to this shopper, by trigger id (codePrefix offers).</summary>
    [Id(8)] public Dictionary<string, string> IssuedCodes { get; set; } = [];
    /// <summary>Recent order ids, for idempotency by order.</summary>
    [Id(9)] public List<string> OrderIds { get; set; } = [];
    [Id(10)] public int? NpsScore { get; set; }
    /// <summary>Per-trigger memory: how often and when it fired, holdout assignment.</summary>
    [Id(11)] public Dictionary<string, TriggerMemory> Triggers { get; set; } = [];
    /// <summary>When the last pushes were issued (at most the hourly cap), for the global cap.</summary>
    [Id(12)] public List<DateTimeOffset> RecentPushes { get; set; } = [];
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
    [Id(18)] public ReferralState Referral { get; set; } = new();

    // Ids from 30 on belong to the guards and stats (issue 3), so concurrent work on other fields cannot collide.
    /// <summary>The last pushes sent, newest last, for attributing nudge_* reports to their trigger.</summary>
    [Id(30)] public List<SentNudge> SentNudges { get; set; } = [];
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
    [Id(42)] public List<string> MergedIds { get; set; } = [];
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
