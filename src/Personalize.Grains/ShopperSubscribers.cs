namespace Personalize.Grains;

/// <summary>
/// The gateways subscribed to one shopper's pushes, each with when it last subscribed (gateways renew;
/// one that stops renewing is dropped after <c>expiry</c>). Almost always one gateway, so the list is a
/// small array replaced on change: Orleans' <c>ObserverManager</c> keeps a dictionary and an entry object
/// per observer, about 250 bytes more for every shopper with an open connection (issue 6). Expiry is
/// measured on <c>clock</c>: the grain passes the wall clock, which the gateways' renewals follow.
/// </summary>
public sealed class ShopperSubscribers(TimeSpan expiry, TimeProvider clock)
{
    private (IShopperObserver Observer, DateTimeOffset LastSeen)[] _entries = [];

    public int Count => _entries.Length;

    /// <summary>Adds or renews; true when the observer was not subscribed.</summary>
    public bool Subscribe(IShopperObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var now = clock.GetUtcNow();
        for (var i = 0; i < _entries.Length; i++)
        {
            if (!_entries[i].Observer.Equals(observer)) continue;
            _entries[i].LastSeen = now;
            return false;
        }
        _entries = [.. _entries, (observer, now)];
        return true;
    }

    public void Unsubscribe(IShopperObserver observer) =>
        _entries = Array.FindAll(_entries, e => !e.Observer.Equals(observer));

    /// <summary>
    /// Calls every live observer; drops the expired ones first, and any whose call fails (a gateway
    /// that is gone; a live one subscribes again within its renewal interval).
    /// </summary>
    public async Task NotifyAsync(Func<IShopperObserver, Task> notify)
    {
        ArgumentNullException.ThrowIfNull(notify);
        DropExpired(clock.GetUtcNow());
        List<IShopperObserver>? failed = null;
        foreach (var (observer, _) in _entries)
        {
            try
            {
                await notify(observer);
            }
            catch (Exception)
            {
                (failed ??= []).Add(observer);
            }
        }
        if (failed is not null) _entries = Without(_entries, failed);
    }

    private static (IShopperObserver Observer, DateTimeOffset LastSeen)[] Without(
        (IShopperObserver Observer, DateTimeOffset LastSeen)[] entries, List<IShopperObserver> failed) =>
        Array.FindAll(entries, e => !failed.Contains(e.Observer));

    /// <summary>
    /// Keeps the array unless an entry expired: a new array on every push lived until the shopper's next
    /// push, seconds, long enough for the collector to promote it (loadtests/README.md, fifth pass).
    /// </summary>
    private void DropExpired(DateTimeOffset now)
    {
        foreach (var entry in _entries)
        {
            if (now - entry.LastSeen <= expiry) continue;
            _entries = Live(_entries, now - expiry);
            return;
        }
    }

    // Apart, so the lambda's closure is made only when something expired.
    private static (IShopperObserver Observer, DateTimeOffset LastSeen)[] Live((IShopperObserver Observer, DateTimeOffset LastSeen)[] entries, DateTimeOffset since) =>
        Array.FindAll(entries, e => e.LastSeen >= since);
}
