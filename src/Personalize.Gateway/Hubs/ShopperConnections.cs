using Microsoft.AspNetCore.SignalR;
using Personalize.Grains;
using Personalize.Hosting;

namespace Personalize.Gateway.Hubs;

/// <summary>
/// This gateway's one observer: subscribed at each shopper grain that has a connection here, renewed
/// on a timer (subscriptions expire, so a dead gateway is forgotten), and unsubscribed when the
/// shopper's last connection here closes. Pushes go to every connection the shopper has here (each tab
/// and device), kept in a map of our own rather than a SignalR group per shopper: a group costs each
/// idle connection a concurrent dictionary of its own (about 600 bytes, issue 6). A grain reactivated after a silo loss has no subscriptions, so
/// for a short while after the cluster changes shape renewal runs every second instead of every 30 s:
/// its shoppers get their pushes (and the ones queued meanwhile) within seconds of the failover.
/// </summary>
public sealed partial class ShopperConnections(
    IGrainFactory grains,
    StringKeyedGrains<IShopperGrain> shoppers,
    IHubContext<ShopperHub> hub,
    PersonalizeMetrics metrics,
    TriggerStatsCollector stats,
    ClusterChanges clusterChanges,
    TimeProvider time,
    ILogger<ShopperConnections> logger) : BackgroundService, IShopperObserver
{
    public static readonly TimeSpan RenewInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan FastRenewInterval = TimeSpan.FromSeconds(1);
    /// <summary>
    /// Covers the time from a silo's disappearance (a client notices at once) until it is declared dead
    /// and its grains can reactivate (about 6 s with the default membership settings), with margin.
    /// </summary>
    public static readonly TimeSpan FastRenewWindow = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Shopper → the ids of its connections here (SignalR's own strings, so sharing them costs nothing).
    /// The arrays are replaced, never changed, so a sender can use one after leaving the lock.
    /// </summary>
    private readonly Dictionary<string, string[]> _connections = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private IShopperObserver? _reference;

    /// <summary>The reference grains call back on; made lazily because a client may not be connected at start.</summary>
    private IShopperObserver Reference
    {
        get
        {
            lock (_lock) return _reference ??= grains.CreateObjectReference<IShopperObserver>(this);
        }
    }

    public async Task ConnectedAsync(string shopperId, string connectionId)
    {
        lock (_lock)
            _connections[shopperId] = _connections.TryGetValue(shopperId, out var ids) ? [.. ids, connectionId] : [connectionId];
        try
        {
            // Always subscribe: it renews, and it answers the pending pushes for this new connection.
            var subscription = await shoppers.Get(shopperId).SubscribeAsync(Reference);
            var client = hub.Clients.Client(connectionId);
            foreach (var nudge in subscription.Pending)
            {
                await client.SendAsync(nudge.Kind, nudge);
                stats.Count(nudge.TriggerId, TriggerCounter.Delivered);
            }
        }
        catch
        {
            // SignalR calls no OnDisconnectedAsync for a connection whose OnConnectedAsync failed; a
            // subscription left behind expires on its own.
            Forget(shopperId, connectionId);
            throw;
        }
    }

    public async Task DisconnectedAsync(string shopperId, string connectionId)
    {
        if (!Forget(shopperId, connectionId)) return;
        try
        {
            await shoppers.Get(shopperId).UnsubscribeAsync(Reference);
        }
        catch (Exception ex)
        {
            // The subscription expires on its own; failing here must not fail the disconnect.
            LogDebugUnsubscribeFailed(ex, shopperId);
        }
    }

    /// <summary>Removes one connection; true when it was the shopper's last one here.</summary>
    private bool Forget(string shopperId, string connectionId)
    {
        lock (_lock)
        {
            if (!_connections.TryGetValue(shopperId, out var ids)) return false;
            var left = Array.FindAll(ids, id => id != connectionId);
            if (left.Length > 0)
            {
                _connections[shopperId] = left;
                return false;
            }
            _connections.Remove(shopperId);
            return true;
        }
    }

    /// <summary>The shopper's connections here, or none (its last one closed meanwhile).</summary>
    private IClientProxy? Clients(string shopperId)
    {
        string[]? ids;
        lock (_lock) _connections.TryGetValue(shopperId, out ids);
        return ids switch
        {
            null => null,
            [var only] => hub.Clients.Client(only),
            _ => hub.Clients.Clients(ids),
        };
    }

    /// <summary>
    /// Orleans hands an observer its calls one at a time and waits for each to finish. This observer
    /// serves every shopper connected here, so a SignalR send awaited in here would queue all of the
    /// gateway's pushes behind each connection's socket write: under load that queue was most of the
    /// event→push time (loadtests/README.md). The send is started and left to finish on its own; the call
    /// is one-way, so nothing waited for its outcome before either.
    /// </summary>
    public Task PushAsync(string shopperId, Nudge nudge)
    {
        _ = SendPushAsync(shopperId, nudge);
        return Task.CompletedTask;
    }

    private async Task SendPushAsync(string shopperId, Nudge nudge)
    {
        try
        {
            // With no connection here any more the push stays in the grain's outbox for the next one.
            if (Clients(shopperId) is not { } clients) return;
            await clients.SendAsync(nudge.Kind, nudge);
            stats.Count(nudge.TriggerId, TriggerCounter.Delivered);
            metrics.PushesSent.Add(1, new KeyValuePair<string, object?>(PersonalizeMetrics.KindTag, nudge.Kind));
            metrics.PushLatency.Record(Math.Max(0, (time.GetUtcNow() - nudge.CreatedAt).TotalMilliseconds));
        }
        catch (Exception ex)
        {
            // The push stays in the grain's outbox and is replayed when the shopper's next connection opens.
            LogWarningPushFailed(ex, shopperId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FastRenewInterval, time);
        var lastRenewal = time.GetUtcNow();
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = time.GetUtcNow();
            if (now - lastRenewal < RenewInterval && now - clusterChanges.LastChange > FastRenewWindow) continue;
            lastRenewal = now;
            await RenewAllAsync(stoppingToken);
        }
    }

    private async Task RenewAllAsync(CancellationToken stoppingToken)
    {
        string[] shopperIds;
        lock (_lock) shopperIds = [.. _connections.Keys];
        foreach (var shopperId in shopperIds)
        {
            try
            {
                var subscription = await shoppers.Get(shopperId).SubscribeAsync(Reference);
                // A new subscription means the grain moved (silo loss): replay what it could not deliver.
                if (subscription.IsNew && Clients(shopperId) is { } clients)
                    foreach (var nudge in subscription.Pending)
                    {
                        await clients.SendAsync(nudge.Kind, nudge, stoppingToken);
                        stats.Count(nudge.TriggerId, TriggerCounter.Delivered);
                    }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogWarningRenewFailed(ex, shopperId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending a push to shopper {ShopperId} failed")]
    private partial void LogWarningPushFailed(Exception ex, string shopperId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Unsubscribing from shopper {ShopperId} failed")]
    private partial void LogDebugUnsubscribeFailed(Exception ex, string shopperId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the subscription at shopper {ShopperId} failed")]
    private partial void LogWarningRenewFailed(Exception ex, string shopperId);
}
