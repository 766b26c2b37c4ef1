namespace Personalize.Triggers;

/// <summary>
/// The push a trigger makes. Which optional fields are set depends on <see cref="Type"/>: offer uses
/// Discount and Code or CodePrefix, recommendations uses Strategy and Count, survey uses Survey and Question.
/// </summary>
public sealed record TriggerAction
{
    public string Type { get; init; } = "";

    public string Title { get; init; } = "";

    public string Message { get; init; } = "";

    public DiscountSpec? Discount { get; init; }

    public string? Code { get; init; }

    /// <summary>Each shopper gets a unique code starting with this prefix.</summary>
    public string? CodePrefix { get; init; }

    public int TtlSeconds { get; init; } = TriggerVocabulary.DefaultTtlSeconds;

    public string? Strategy { get; init; }

    public int? Count { get; init; }

    public string? Survey { get; init; }

    public string? Question { get; init; }
}
