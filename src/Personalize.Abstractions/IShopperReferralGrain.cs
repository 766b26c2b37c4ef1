using Orleans.Concurrency;

namespace Personalize;

/// <summary>
/// The referral side of the shopper grain (the same activation as <see cref="IShopperGrain"/>): the
/// shopper's link, and the hand-off by which a friend's grain credits or reverses its referrer's reward.
/// </summary>
[Alias("Personalize.IShopperReferralGrain")]
public interface IShopperReferralGrain : IGrainWithStringKey
{
    /// <summary>The shopper's one stable code (claimed on first call) and the link to share.</summary>
    [Alias("GetReferralLink")]
    Task<ReferralLink> GetReferralLinkAsync();

    /// <summary>
    /// Applies a credit or reversal sent by a friend's grain. Idempotent by the friend's order id: a
    /// repeated hand-off answers what the first one did and changes nothing.
    /// </summary>
    [Alias("ApplyReferral")]
    Task<ReferralOutcome> ApplyReferralAsync(ReferralHandoff handoff);

    /// <summary>
    /// Called by the shopper's reminder: retries un-acknowledged hand-offs and confirms due rewards.
    /// Answers when it next needs waking, or null when nothing is left to do.
    /// </summary>
    [Alias("WakeUp")]
    Task<DateTimeOffset?> WakeUpAsync();

    /// <summary>
    /// Hashes of the devices and networks this shopper's own events came from, so a friend's grain can
    /// tell a referrer landing on their own link from another browser. Interleaves: a read of memory only,
    /// and a friend and its referrer may ask each other at the same time.
    /// </summary>
    [AlwaysInterleave, Alias("GetFingerprints")]
    Task<ReferrerFingerprints> GetFingerprintsAsync();
}

[GenerateSerializer, Alias("Personalize.ReferrerFingerprints")]
public sealed record ReferrerFingerprints(
    [property: Id(0)] IReadOnlyList<string> Devices,
    [property: Id(1)] IReadOnlyList<string> Networks);

/// <summary>Keeps a shopper's referral reminder (one per shopper) so waiting work survives deactivation and silo loss.</summary>
[Alias("Personalize.IReferralWakeUpGrain")]
public interface IReferralWakeUpGrain : IGrainWithStringKey
{
    /// <summary>Wake the shopper at <paramref name="at"/> (and periodically after, until it says it is done); null cancels.</summary>
    [AlwaysInterleave, Alias("Schedule")]
    Task ScheduleAsync(DateTimeOffset? at);

    [AlwaysInterleave, Alias("IsScheduled")]
    Task<bool> IsScheduledAsync();
}

[GenerateSerializer, Alias("Personalize.ReferralLink")]
public sealed record ReferralLink(
    [property: Id(0)] string Code,
    [property: Id(1)] string ShareUrl);

public enum ReferralHandoffKind
{
    Credit = 0,
    Reversal = 1,
}

/// <summary>One step of the friend → referrer hand-off, kept in the friend's outbox until acknowledged.</summary>
[GenerateSerializer, Alias("Personalize.ReferralHandoff")]
public sealed record ReferralHandoff
{
    [Id(0)] public ReferralHandoffKind Kind { get; init; }
    [Id(1)] public string ReferrerId { get; init; } = "";
    [Id(2)] public string FriendId { get; init; } = "";
    /// <summary>The friend's order: the idempotency key of the reward. Never shown to the referrer's storefront.</summary>
    [Id(3)] public string OrderId { get; init; } = "";
    [Id(4)] public decimal Amount { get; init; }
    [Id(5)] public string? Currency { get; init; }
    [Id(6)] public DateTimeOffset At { get; init; }
    /// <summary>The programme's confirmation delay when the friend qualified, so a later settings change does not move it.</summary>
    [Id(7)] public int ConfirmAfterDays { get; init; }
    [Id(8)] public int MaxRewardsPerMonth { get; init; }

    public string Key => FriendId + "/" + OrderId;
}

public enum ReferralOutcome
{
    Applied = 0,
    Duplicate = 1,
    Capped = 2,
    Reversed = 3,
    NothingToReverse = 4,
}
