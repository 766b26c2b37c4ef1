namespace Personalize.Client;

/// <summary>
/// A push from the server (CONTRACT.md §2 "Server → client"). Every kind shares these fields; each
/// derived record adds the extras of its kind, and <see cref="Kind"/> is also the hub method name.
/// </summary>
public record Push
{
    public string Id { get; init; } = "";
    public string TriggerId { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Title { get; init; } = "";
    public string Message { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>A discount or reward: <c>{ kind: percent | amount | freeShipping, value, currency? }</c>.</summary>
public sealed record RewardValue
{
    public string Kind { get; init; } = "";
    public decimal Value { get; init; }
    public string? Currency { get; init; }
}

public sealed record OfferPush : Push
{
    public RewardValue? Discount { get; init; }
    public string? Code { get; init; }
}

public sealed record ReferralPromptPush : Push
{
    public string? Code { get; init; }
    public string? ShareUrl { get; init; }
    public RewardValue? ReferrerReward { get; init; }
    public RewardValue? FriendReward { get; init; }
}

public sealed record RecommendationsPush : Push
{
    public string? Strategy { get; init; }
    public IReadOnlyList<string> ProductIds { get; init; } = [];
}

public sealed record SurveyPush : Push
{
    public string? Survey { get; init; }
    public string? Question { get; init; }
}

public sealed record RewardPush : Push
{
    public decimal Amount { get; init; }
    public string? Currency { get; init; }
    /// <summary><c>pending</c> or <c>confirmed</c>.</summary>
    public string? Status { get; init; }
}

/// <summary>Push kinds; each is also the SignalR client method name.</summary>
public static class PushKinds
{
    public const string Offer = "offer";
    public const string ReferralPrompt = "referralPrompt";
    public const string Recommendations = "recommendations";
    public const string Survey = "survey";
    public const string Reward = "reward";

    /// <summary>The record type a kind deserializes to; an unknown kind keeps the shared fields only.</summary>
    public static Type ClrType(string? kind) => kind switch
    {
        Offer => typeof(OfferPush),
        ReferralPrompt => typeof(ReferralPromptPush),
        Recommendations => typeof(RecommendationsPush),
        Survey => typeof(SurveyPush),
        Reward => typeof(RewardPush),
        _ => typeof(Push),
    };
}
