namespace Personalize.Triggers;

/// <summary>percent (0 &lt; value ≤ 100), amount (value &gt; 0, optional ISO currency) or freeShipping (value 0).</summary>
public sealed record DiscountSpec
{
    public string Kind { get; init; } = "";

    public decimal Value { get; init; }

    public string? Currency { get; init; }
}
