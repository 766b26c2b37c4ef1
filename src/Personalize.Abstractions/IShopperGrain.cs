using Orleans.Concurrency;

namespace Personalize;

/// <summary>One grain per shopper: live click stream, basket, orders, outbox of pending pushes.</summary>
[Alias("Personalize.IShopperGrain")]
public interface IShopperGrain : IGrainWithStringKey
{
    /// <summary>Applies one event; state changes are stored before this returns.</summary>
    [Alias("Track")]
    Task<TrackResult> TrackAsync(ShopperEvent shopperEvent);

    /// <summary>The shopper's view; an unknown shopper gets an empty view.</summary>
    [Alias("GetState")]
    Task<ShopperView> GetStateAsync();

    /// <summary>Whether anything is kept about this shopper.</summary>
    [Alias("Exists")]
    Task<bool> ExistsAsync();

    /// <summary>
    /// Registers (or renews) a gateway's observer. Answers the pending pushes and whether the
    /// subscription is new, so a gateway can replay what a grain that moved could not deliver.
    /// </summary>
    [Alias("Subscribe")]
    Task<Subscription> SubscribeAsync(IShopperObserver observer);

    [Alias("Unsubscribe")]
    Task UnsubscribeAsync(IShopperObserver observer);

    /// <summary>
    /// Judges the shopper's idle triggers against the time since their last event. The grain's idle
    /// timer and reminder call it; calling it early is harmless (nothing is due, nothing fires).
    /// </summary>
    [Alias("CheckIdle")]
    Task CheckIdleAsync();

    /// <summary>Erases everything kept about the shopper.</summary>
    [Alias("Erase")]
    Task EraseAsync();
}

[GenerateSerializer, Alias("Personalize.Subscription")]
public sealed record Subscription(
    [property: Id(0)] bool IsNew,
    [property: Id(1)] IReadOnlyList<Nudge> Pending);

/// <summary>One per gateway process: receives pushes for the shoppers connected to that gateway.</summary>
[Alias("Personalize.IShopperObserver")]
public interface IShopperObserver : IGrainObserver
{
    [OneWay, Alias("Push")]
    Task PushAsync(string shopperId, Nudge nudge);
}
