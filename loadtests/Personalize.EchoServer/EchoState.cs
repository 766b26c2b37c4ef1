using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Personalize.Client;

namespace Personalize.EchoServer;

/// <summary>
/// The little the echo must remember so the connect-storm and referral-loop scenarios can run against
/// it: who is online, pushes made while a shopper was offline (replayed on connect until shown), and
/// referral attributions. The hot path touches only the online check.
/// </summary>
public sealed class EchoState(IHubContext<EchoHub> hub, IOptions<EchoOptions> options)
{
    private readonly EchoOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, int> _online = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Push>> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _referrerByCode = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _referrerOfFriend = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _rewardedFriends = new(StringComparer.Ordinal);

    public void Connected(string shopperId) => _online.AddOrUpdate(shopperId, 1, (_, n) => n + 1);

    public void Disconnected(string shopperId) => _online.AddOrUpdate(shopperId, 0, (_, n) => Math.Max(0, n - 1));

    public async Task ReplayAsync(string shopperId, IClientProxy caller)
    {
        if (!_pending.TryGetValue(shopperId, out var pending))
        {
            return;
        }
        foreach (var push in pending.Values)
        {
            await caller.SendAsync(push.Kind, push);
        }
    }

    public ReferralLink ReferralLinkOf(string shopperId)
    {
        var code = "R" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(shopperId)))[..11];
        _referrerByCode.TryAdd(code, shopperId);
        return new ReferralLink(code, "https://echo.invalid/r/" + code);
    }

    public Task ApplyAsync(string shopperId, ShopperEvent e) => e.Type switch
    {
        EventTypes.AddToCart when e.ProductId == _options.PushProductId => SendAsync(shopperId, Offer(_options.TriggerId)),
        EventTypes.NudgeShown or EventTypes.NudgeClicked or EventTypes.NudgeDismissed => Acknowledge(shopperId, e.NudgeId),
        EventTypes.ReferralLanding => LandAsync(shopperId, e.ReferralCode),
        EventTypes.Purchase => PurchaseAsync(shopperId, e),
        _ => Task.CompletedTask,
    };

    private Task Acknowledge(string shopperId, string? nudgeId)
    {
        if (nudgeId is not null && _pending.TryGetValue(shopperId, out var pending))
        {
            pending.TryRemove(nudgeId, out _);
        }
        return Task.CompletedTask;
    }

    private Task LandAsync(string friendId, string? code)
    {
        if (code is null || !_referrerByCode.TryGetValue(code, out var referrerId) || referrerId == friendId ||
            !_referrerOfFriend.TryAdd(friendId, referrerId))
        {
            return Task.CompletedTask;
        }
        return SendAsync(friendId, Offer("referral-friend"));
    }

    private Task PurchaseAsync(string friendId, ShopperEvent e)
    {
        if (!_referrerOfFriend.TryGetValue(friendId, out var referrerId) || e.OrderTotal < _options.MinOrderTotal ||
            !_rewardedFriends.TryAdd(friendId, true))
        {
            return Task.CompletedTask;
        }
        var now = DateTimeOffset.UtcNow;
        return SendAsync(referrerId, new RewardPush
        {
            Id = Guid.NewGuid().ToString("N"), TriggerId = "referral", Kind = PushKinds.Reward, Title = "You earned a reward",
            Message = "A friend you referred placed an order.", CreatedAt = now, ExpiresAt = now.AddDays(7),
            Amount = 10, Currency = "EUR", Status = "pending",
        });
    }

    private Task SendAsync(string shopperId, Push push)
    {
        // Offline shoppers keep the push for replay, like the gateway's outbox; online ones just get it.
        if (!_online.TryGetValue(shopperId, out var connections) || connections == 0)
        {
            _pending.GetOrAdd(shopperId, _ => new(StringComparer.Ordinal))[push.Id] = push;
            return Task.CompletedTask;
        }
        return hub.Clients.Group(shopperId).SendAsync(push.Kind, push);
    }

    private static OfferPush Offer(string triggerId)
    {
        var now = DateTimeOffset.UtcNow;
        return new OfferPush
        {
            Id = Guid.NewGuid().ToString("N"), TriggerId = triggerId, Kind = PushKinds.Offer, Title = "t", Message = "m",
            CreatedAt = now, ExpiresAt = now.AddSeconds(60),
            Discount = new RewardValue { Kind = "percent", Value = 10 }, Code = "LT10",
        };
    }
}
