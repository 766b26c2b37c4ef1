namespace Personalize;

/// <summary>A product and how often it was bought (with another product, or in a time window).</summary>
[GenerateSerializer, Alias("Personalize.ProductCount")]
public sealed record ProductCount(
    [property: Id(0)] string ProductId,
    [property: Id(1)] long Count);

/// <summary>
/// One per product: "customers who bought this also bought". Holds only counts of co-purchased
/// products, never who bought them, so erasing a shopper leaves nothing personal here.
/// </summary>
[Alias("Personalize.IProductGrain")]
public interface IProductGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds a silo's batch of co-purchase counts (other product id → orders bought together) unless the
    /// batch <paramref name="flush"/> was added before (a resend whose answer was lost).
    /// </summary>
    [Alias("AddCoPurchaseBatch")]
    Task AddCoPurchasesAsync(FlushId flush, IReadOnlyDictionary<string, long> counts);

    /// <summary>The most co-purchased products, most first (ties by id), at most <paramref name="count"/>.</summary>
    [Alias("GetAlsoBought")]
    Task<IReadOnlyList<ProductCount>> GetAlsoBoughtAsync(int count);
}

/// <summary>Bestsellers over a sliding 24 h window, in hourly buckets (one grain, key 0).</summary>
[Alias("Personalize.ITrendingGrain")]
public interface ITrendingGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Adds a silo's batch of units sold, by the hour (UTC, truncated) they were sold in, unless the batch
    /// <paramref name="flush"/> was added before (a resend whose answer was lost).
    /// </summary>
    [Alias("AddSalesBatch")]
    Task AddSalesAsync(FlushId flush, IReadOnlyDictionary<DateTimeOffset, Dictionary<string, long>> unitsByHour);

    /// <summary>The best-selling products of the last 24 h, most units first (ties by id).</summary>
    [Alias("GetTrending")]
    Task<IReadOnlyList<ProductCount>> GetTrendingAsync(int count);
}
