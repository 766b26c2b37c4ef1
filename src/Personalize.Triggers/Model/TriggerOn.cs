namespace Personalize.Triggers;

/// <summary>What wakes a trigger: an event of one type, or a shopper idle for some seconds. Exactly one is set.</summary>
public sealed record TriggerOn
{
    public string? Event { get; init; }

    public int? IdleSeconds { get; init; }
}
