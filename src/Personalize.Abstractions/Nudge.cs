using System.Text.Json.Serialization;

namespace Personalize;

/// <summary>
/// A push to a shopper's storefront (CONTRACT.md §2 "Server → client"). One flat record: the
/// <see cref="Kind"/> names the client method and which of the optional fields are set.
/// </summary>
/// <remarks>
/// Immutable to Orleans, like <see cref="ShopperEvent"/>: the push a grain hands a gateway in its own process
/// is the instance, not a deep copy.
/// </remarks>
[GenerateSerializer, Immutable, Alias("Personalize.Nudge")]
public sealed record Nudge
{
    [Id(0)] public string Id { get; init; } = "";
    [Id(1)] public string TriggerId { get; init; } = "";
    [Id(2)] public string Kind { get; init; } = "";
    [Id(3)] public string Title { get; init; } = "";
    [Id(4)] public string Message { get; init; } = "";
    [Id(5)] public DateTimeOffset CreatedAt { get; init; }
    [Id(6)] public DateTimeOffset ExpiresAt { get; init; }

    [Id(7), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Reward? Discount { get; init; }
    [Id(8), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Code { get; init; }
    [Id(9), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ShareUrl { get; init; }
    [Id(10), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Reward? ReferrerReward { get; init; }
    [Id(11), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Reward? FriendReward { get; init; }
    [Id(12), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Strategy { get; init; }
    [Id(13), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? ProductIds { get; init; }
    [Id(14), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Survey { get; init; }
    [Id(15), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Question { get; init; }
    [Id(16), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public decimal? Amount { get; init; }
    [Id(17), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Currency { get; init; }
    [Id(18), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Status { get; init; }
}

/// <summary>A discount or reward: <c>{ kind: percent | amount | freeShipping, value, currency? }</c>.</summary>
[GenerateSerializer, Immutable, Alias("Personalize.Reward")]
public sealed record Reward
{
    [Id(0)] public string Kind { get; init; } = "";
    [Id(1)] public decimal Value { get; init; }
    [Id(2), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Currency { get; init; }
}

/// <summary>Push kinds; each is also the SignalR client method name.</summary>
public static class NudgeKinds
{
    public const string Offer = "offer";
    public const string ReferralPrompt = "referralPrompt";
    public const string Recommendations = "recommendations";
    public const string Survey = "survey";
    public const string Reward = "reward";
}
