namespace Personalize;

/// <summary>The marketer's referral programme settings (CONTRACT.md §4 "Referral programme").</summary>
[GenerateSerializer, Alias("Personalize.ReferralProgram")]
public sealed record ReferralProgram
{
    [Id(0)] public bool Enabled { get; init; } = true;
    /// <summary>The shopper's code is appended to this to make the link they share.</summary>
    [Id(1)] public string ShareBaseUrl { get; init; } = "https://shop.example/r/";
    [Id(2)] public Reward FriendReward { get; init; } = new() { Kind = "percent", Value = 15 };
    [Id(3)] public Reward ReferrerReward { get; init; } = new() { Kind = "amount", Value = 10, Currency = "EUR" };
    [Id(4)] public decimal MinOrderTotal { get; init; } = 30;
    [Id(5)] public int AttributionWindowDays { get; init; } = 30;
    [Id(6)] public int MaxRewardsPerReferrerPerMonth { get; init; } = 10;
    [Id(7)] public int ConfirmAfterDays { get; init; } = 14;

    public string ShareUrl(string code) => ShareBaseUrl + code;
}

[GenerateSerializer, Alias("Personalize.ReferralProgramSnapshot")]
public sealed record ReferralProgramSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] ReferralProgram Program);

/// <summary>
/// The referral programme settings (one grain, key 0). Like the trigger catalog it is never called
/// per event: each silo polls <see cref="GetVersionAsync"/> and keeps the settings locally.
/// </summary>
[Alias("Personalize.IReferralProgramGrain")]
public interface IReferralProgramGrain : IGrainWithIntegerKey
{
    [Alias("GetVersion")]
    Task<long> GetVersionAsync();

    [Alias("Get")]
    Task<ReferralProgramSnapshot> GetAsync();

    [Alias("Set")]
    Task<ReferralProgramSnapshot> SetAsync(ReferralProgram program);
}
