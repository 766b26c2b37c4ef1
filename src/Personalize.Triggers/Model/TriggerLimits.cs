namespace Personalize.Triggers;

/// <summary>Per-trigger guards; the shopper grain enforces them, the language only validates them.</summary>
public sealed record TriggerLimits
{
    public int? MaxPerShopper { get; init; }

    public int? CooldownSeconds { get; init; }

    public int? MaxPerDay { get; init; }
}
