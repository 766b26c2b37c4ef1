namespace Personalize.Triggers;

/// <summary>
/// The "where" of a count condition, built once at compile time so counting compares strings and nothing more.
/// A null field matches anything.
/// </summary>
public sealed class ClickFilter
{
    public static ClickFilter Any { get; } = new(null, null, null, null);

    public ClickFilter(string? type, string? productId, string? categoryId, string? channel)
    {
        Type = type;
        ProductId = productId;
        CategoryId = categoryId;
        Channel = channel;
    }

    public string? Type { get; }

    public string? ProductId { get; }

    public string? CategoryId { get; }

    public string? Channel { get; }

    public bool Matches(string type, string? productId, string? categoryId, string? channel) =>
        (Type is null || string.Equals(Type, type, StringComparison.Ordinal))
        && (ProductId is null || string.Equals(ProductId, productId, StringComparison.Ordinal))
        && (CategoryId is null || string.Equals(CategoryId, categoryId, StringComparison.Ordinal))
        && (Channel is null || string.Equals(Channel, channel, StringComparison.Ordinal));

    public override string ToString() =>
        $"type={Type ?? "*"} productId={ProductId ?? "*"} categoryId={CategoryId ?? "*"} channel={Channel ?? "*"}";
}
