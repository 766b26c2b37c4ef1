namespace Personalize.Grains;

/// <summary>The shopper grain's lazy write, called by its silo's <see cref="ShopperFlushScheduler"/>.</summary>
[Alias("Personalize.IShopperFlushGrain")]
public interface IShopperFlushGrain : IGrainWithStringKey
{
    /// <summary>Writes click-only changes not yet written, if any; answers once they are written.</summary>
    [Alias("Flush")]
    Task FlushAsync();
}
