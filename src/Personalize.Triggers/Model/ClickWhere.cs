namespace Personalize.Triggers;

/// <summary>Which click-stream events a "count" condition counts; an empty where counts every event.</summary>
public sealed record ClickWhere
{
    public string? Type { get; init; }

    public string? ProductId { get; init; }

    public string? CategoryId { get; init; }

    public string? Channel { get; init; }
}
